package io.lodge.server.tail;

import com.fasterxml.jackson.core.JsonGenerator;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.querier.api.LokiJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Encodes tail messages (LOKI-COMPAT 2.7): v1 {@code {"streams":[{"stream":{..},"values":[[ns,line]]}],
 * "dropped_entries":[{"timestamp":ns,"labels":{..}}]}}, its {@code categorize-labels} variant (stream
 * labels only, a third element per entry, {@code "encodingFlags"}), and the legacy {@code /api/prom/tail}
 * shape ({@code labels} strings, RFC 3339 times). Consecutive entries of one label set share a
 * {@code streams} element; clients must not rely on that.
 */
final class TailFrames {
  /** The wire shape a tail speaks. */
  enum Format { V1, CATEGORIZED, LEGACY }

  /** One entry after the pipeline: stream labels, structured metadata and parsed labels kept apart. */
  record Entry(long ts, LabelSet stream, List<Label> metadata, List<Label> parsed, byte[] line) {
    LabelSet allLabels() {
      LabelSet out = stream;
      for (Label l : metadata) out = out.with(l.name(), l.value());
      for (Label l : parsed) out = out.with(l.name(), l.value());
      return out;
    }
  }

  /** An entry the client was too slow for. */
  record Dropped(long ts, LabelSet labels) {}

  private TailFrames() {}

  static byte[] encode(Format format, List<Entry> entries, List<Dropped> dropped) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + entries.size() * 128);
    try (JsonGenerator g = LokiJson.generator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("streams");
      int i = 0;
      while (i < entries.size()) {
        LabelSet key = labelsOf(format, entries.get(i));
        int j = i + 1;
        while (j < entries.size() && labelsOf(format, entries.get(j)).equals(key)) j++;
        g.writeStartObject();
        if (format == Format.LEGACY) {
          g.writeStringField("labels", key.canonical());
          g.writeArrayFieldStart("entries");
          for (int k = i; k < j; k++) {
            Entry e = entries.get(k);
            g.writeStartObject();
            g.writeStringField("ts", rfc3339Nano(e.ts()));
            g.writeStringField("line", new String(e.line(), StandardCharsets.UTF_8));
            g.writeEndObject();
          }
        } else {
          writeLabels(g, "stream", key.labels());
          g.writeArrayFieldStart("values");
          for (int k = i; k < j; k++) writeValue(g, format, entries.get(k));
        }
        g.writeEndArray();
        g.writeEndObject();
        i = j;
      }
      g.writeEndArray();
      if (!dropped.isEmpty()) {
        g.writeArrayFieldStart("dropped_entries");
        for (Dropped d : dropped) {
          g.writeStartObject();
          if (format == Format.LEGACY) {
            g.writeStringField("timestamp", rfc3339Nano(d.ts()));
            g.writeStringField("labels", d.labels().canonical());
          } else {
            g.writeStringField("timestamp", Long.toString(d.ts()));
            writeLabels(g, "labels", d.labels().labels());
          }
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      if (format == Format.CATEGORIZED) {
        g.writeArrayFieldStart("encodingFlags");
        g.writeString("categorize-labels");
        g.writeEndArray();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static LabelSet labelsOf(Format format, Entry e) {
    return format == Format.CATEGORIZED ? e.stream() : e.allLabels();
  }

  private static void writeValue(JsonGenerator g, Format format, Entry e) throws IOException {
    g.writeStartArray();
    g.writeString(Long.toString(e.ts()));
    g.writeString(new String(e.line(), StandardCharsets.UTF_8));
    if (format == Format.CATEGORIZED) {
      g.writeStartObject();
      if (!e.metadata().isEmpty()) writeLabels(g, "structuredMetadata", e.metadata());
      if (!e.parsed().isEmpty()) writeLabels(g, "parsed", e.parsed());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void writeLabels(JsonGenerator g, String field, List<Label> labels) throws IOException {
    g.writeObjectFieldStart(field);
    for (Label l : labels) g.writeStringField(l.name(), l.value());
    g.writeEndObject();
  }

  /** Go's {@code time.RFC3339Nano} in UTC: fraction without trailing zeros, none when zero. */
  static String rfc3339Nano(long ns) {
    Instant t = Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
    String s = t.truncatedTo(ChronoUnit.SECONDS).toString(); // ...:SSZ
    int nanos = t.getNano();
    if (nanos == 0) return s;
    String frac = String.format("%09d", nanos);
    int end = frac.length();
    while (frac.charAt(end - 1) == '0') end--;
    return s.substring(0, s.length() - 1) + "." + frac.substring(0, end) + "Z";
  }
}
