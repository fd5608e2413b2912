package io.lodge.querier.api;

import com.fasterxml.jackson.core.JsonGenerator;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.read.Direction;
import io.lodge.ingester.read.EntryIterator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects up to {@code limit} entries from a merged iterator into Loki's {@code streams} result: one
 * element per full label set (stream labels plus structured metadata), entries in the query's direction,
 * streams ascending by labels for forward and descending for backward (LOKI-COMPAT 2.4.1).
 */
public final class StreamsResult {
  private StreamsResult() {}

  private record Entry(long ts, byte[] line) {}

  /** Reads the iterator (up to {@code limit} entries) and renders the whole JSON response. */
  public static byte[] render(EntryIterator it, int limit, Direction direction) {
    QueryStats stats = new QueryStats();
    Map<LabelSet, List<Entry>> streams = new HashMap<>();
    int n = 0;
    while (n < limit && it.next()) {
      LabelSet labels = withMetadata(it.labels(), it.metadata());
      streams.computeIfAbsent(labels, k -> new ArrayList<>()).add(new Entry(it.timestampNanos(), it.line().clone()));
      stats.entryReturned();
      stats.processed(1, it.line().length);
      n++;
    }
    List<LabelSet> order = new ArrayList<>(streams.keySet());
    Comparator<LabelSet> byLabels = Comparator.naturalOrder();
    order.sort(direction == Direction.FORWARD ? byLabels : byLabels.reversed());
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try (JsonGenerator g = LokiJson.generator(out)) {
      g.writeStartObject();
      g.writeStringField("status", "success");
      g.writeObjectFieldStart("data");
      g.writeStringField("resultType", "streams");
      g.writeArrayFieldStart("result");
      for (LabelSet labels : order) {
        g.writeStartObject();
        g.writeObjectFieldStart("stream");
        for (Label l : labels.labels()) g.writeStringField(l.name(), l.value());
        g.writeEndObject();
        g.writeArrayFieldStart("values");
        for (Entry e : streams.get(labels)) {
          g.writeStartArray();
          g.writeString(Long.toString(e.ts));
          g.writeString(new String(e.line, StandardCharsets.UTF_8));
          g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      stats.write(g);
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The result label set: stream labels plus structured metadata (metadata wins on a clash). */
  static LabelSet withMetadata(LabelSet stream, List<Label> metadata) {
    if (metadata.isEmpty()) return stream;
    LabelSet out = stream;
    for (Label l : metadata) out = out.with(l.name(), l.value());
    return out;
  }
}
