package io.lodge.querier.api;

import com.fasterxml.jackson.core.JsonGenerator;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.read.Direction;
import io.lodge.querier.pipeline.PipelineResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups pipeline results into Loki's {@code streams} result and renders it (LOKI-COMPAT 2.4.1, 2.4.2).
 * Without categorize-labels a result stream is the entry's full label set; with it, the stream labels
 * still present, and every entry carries its metadata and parsed labels as a third element. Entries
 * with the same (labels, timestamp, line) are kept once. Entries arrive in the query's direction.
 */
final class LogResultCollector {
  private record Entry(long ts, byte[] line, List<Label> metadata, List<Label> parsed) {}

  /** One result stream: its entries and, for de-duplication, the entries seen at the last timestamp. */
  private static final class Group {
    final List<Entry> entries = new ArrayList<>();
    long lastTs = Long.MIN_VALUE;
    final List<Entry> atLastTs = new ArrayList<>(2);
  }

  private final boolean categorize;
  private final Map<LabelSet, Group> groups = new HashMap<>();

  LogResultCollector(boolean categorize) {
    this.categorize = categorize;
  }

  /** Adds an entry; false when it duplicates one already collected (it is then not counted). */
  boolean add(long ts, PipelineResult r) {
    LabelSet key = categorize ? r.stream() : allLabels(r);
    Group g = groups.computeIfAbsent(key, k -> new Group());
    // The line may be the reader's buffer, valid only until the next entry.
    byte[] line = r.line().clone();
    Entry e = categorize ? new Entry(ts, line, r.structuredMetadata(), r.parsed()) : new Entry(ts, line, List.of(), List.of());
    if (g.lastTs == ts) {
      for (Entry o : g.atLastTs) {
        if (Arrays.equals(o.line, line) && o.metadata.equals(e.metadata) && o.parsed.equals(e.parsed)) return false;
      }
    } else {
      g.lastTs = ts;
      g.atLastTs.clear();
    }
    g.atLastTs.add(e);
    g.entries.add(e);
    return true;
  }

  /** Stream labels, metadata and parsed labels merged (each name is in one category only). */
  static LabelSet allLabels(PipelineResult r) {
    if (r.structuredMetadata().isEmpty() && r.parsed().isEmpty()) return r.stream();
    List<Label> all = new ArrayList<>(r.stream().size() + r.structuredMetadata().size() + r.parsed().size());
    all.addAll(r.stream().labels());
    all.addAll(r.structuredMetadata());
    all.addAll(r.parsed());
    return LabelSet.of(all);
  }

  /** Renders the whole response. */
  byte[] render(Direction direction, QueryStats stats) {
    List<LabelSet> order = new ArrayList<>(groups.keySet());
    Comparator<LabelSet> byLabels = Comparator.naturalOrder();
    order.sort(direction == Direction.FORWARD ? byLabels : byLabels.reversed());
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try (JsonGenerator g = LokiJson.generator(out)) {
      g.writeStartObject();
      g.writeStringField("status", "success");
      g.writeObjectFieldStart("data");
      g.writeStringField("resultType", "streams");
      if (categorize) {
        g.writeArrayFieldStart("encodingFlags");
        g.writeString("categorize-labels");
        g.writeEndArray();
      }
      g.writeArrayFieldStart("result");
      for (LabelSet labels : order) {
        g.writeStartObject();
        g.writeObjectFieldStart("stream");
        for (Label l : labels.labels()) g.writeStringField(l.name(), l.value());
        g.writeEndObject();
        g.writeArrayFieldStart("values");
        for (Entry e : groups.get(labels).entries) writeEntry(g, e);
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

  private void writeEntry(JsonGenerator g, Entry e) throws IOException {
    g.writeStartArray();
    g.writeString(Long.toString(e.ts));
    g.writeString(new String(e.line, StandardCharsets.UTF_8));
    if (categorize) {
      g.writeStartObject();
      writeMap(g, "structuredMetadata", e.metadata);
      writeMap(g, "parsed", e.parsed);
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void writeMap(JsonGenerator g, String field, List<Label> labels) throws IOException {
    if (labels.isEmpty()) return;
    g.writeObjectFieldStart(field);
    for (Label l : labels) g.writeStringField(l.name(), l.value());
    g.writeEndObject();
  }
}
