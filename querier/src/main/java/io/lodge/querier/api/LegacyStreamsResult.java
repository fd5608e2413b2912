package io.lodge.querier.api;

import com.fasterxml.jackson.core.JsonGenerator;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.read.Direction;
import io.lodge.ingester.read.EntryIterator;
import io.lodge.querier.pipeline.Pipeline;
import io.lodge.querier.pipeline.PipelineResult;
import io.lodge.querier.pipeline.StreamPipeline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The legacy {@code /api/prom/query} answer (LOKI-COMPAT 2.16):
 * {@code {"streams":[{"labels":"{app=\"foo\"}","entries":[{"ts":"<RFC3339Nano>","line":"..."}]}],"stats":{...}}}.
 */
public final class LegacyStreamsResult {
  /** Go's RFC3339Nano in UTC: fraction without trailing zeros, {@code Z}. */
  private static final DateTimeFormatter RFC3339_NANO = new DateTimeFormatterBuilder()
      .appendPattern("uuuu-MM-dd'T'HH:mm:ss").appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
      .appendLiteral('Z').toFormatter().withZone(ZoneOffset.UTC);

  private LegacyStreamsResult() {}

  /** Go's {@code time.RFC3339Nano} rendering of Unix ns in UTC. */
  public static String rfc3339Nano(long nanos) {
    return RFC3339_NANO.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
        Math.floorMod(nanos, 1_000_000_000L)));
  }

  private record Entry(long ts, String line) {}

  /**
   * Reads up to {@code limit} entries that pass {@code pipeline} and then {@code lineFilter} (Loki's
   * {@code regexp} parameter, applied after the query's stages) and renders the answer.
   */
  public static byte[] render(EntryIterator it, Pipeline pipeline, int limit, Direction direction,
      Predicate<String> lineFilter, Deadline deadline) {
    QueryStats stats = new QueryStats();
    Map<LabelSet, List<Entry>> streams = new LinkedHashMap<>();
    Map<LabelSet, StreamPipeline> perStream = new HashMap<>();
    int n = 0;
    long read = 0;
    while (n < limit && it.next()) {
      if ((++read & 1023) == 0) deadline.check();
      stats.processed(1, it.line().length);
      LabelSet labels;
      String line;
      if (pipeline.isNoop()) {
        labels = it.labels();
        for (Label l : it.metadata()) labels = labels.with(l.name(), l.value());
        line = new String(it.line(), StandardCharsets.UTF_8);
      } else {
        PipelineResult r = perStream.computeIfAbsent(it.labels(), pipeline::forStream)
            .process(it.timestampNanos(), it.line(), it.metadata());
        if (r == null) continue;
        labels = r.allLabels();
        line = new String(r.line(), StandardCharsets.UTF_8);
      }
      if (!lineFilter.test(line)) continue;
      streams.computeIfAbsent(labels, k -> new ArrayList<>()).add(new Entry(it.timestampNanos(), line));
      stats.entryReturned();
      n++;
    }
    List<LabelSet> order = new ArrayList<>(streams.keySet());
    Comparator<LabelSet> byLabels = Comparator.naturalOrder();
    order.sort(direction == Direction.FORWARD ? byLabels : byLabels.reversed());
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try (JsonGenerator g = LokiJson.generator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("streams");
      for (LabelSet labels : order) {
        g.writeStartObject();
        g.writeStringField("labels", labels.canonical());
        g.writeArrayFieldStart("entries");
        for (Entry e : streams.get(labels)) {
          g.writeStartObject();
          g.writeStringField("ts", rfc3339Nano(e.ts));
          g.writeStringField("line", e.line);
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      stats.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
