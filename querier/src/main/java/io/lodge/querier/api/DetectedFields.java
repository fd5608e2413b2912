package io.lodge.querier.api;

import com.fasterxml.jackson.core.JsonGenerator;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Collects the fields of sampled log lines for {@code /detected_fields} and
 * {@code /detected_field/<name>/values} (LOKI-COMPAT 2.10): structured metadata (no parser), and what
 * {@code json} (tried first) or else {@code logfmt} extracts from each line. Cardinality is exact.
 */
public final class DetectedFields {
  private static final class Field {
    FieldType type;
    boolean json;
    boolean logfmt;
    final Set<String> values = new HashSet<>();
  }

  private final Map<String, Field> fields = new TreeMap<>();

  /** Adds one sampled entry. */
  public void add(LabelSet stream, byte[] line, List<Label> metadata) {
    for (Label m : metadata) record(m.name(), m.value(), null);
    List<LineFields.Field> parsed = LineFields.json(line);
    String parser = "json";
    if (parsed == null) {
      parsed = LineFields.logfmt(line);
      parser = "logfmt";
    }
    if (parsed == null) return;
    for (LineFields.Field f : parsed) {
      // a parsed key that clashes with a stream label gets Loki's _extracted suffix
      String name = stream.has(f.name()) ? f.name() + "_extracted" : f.name();
      record(name, f.value(), parser);
    }
  }

  private void record(String name, String value, String parser) {
    if (name.isEmpty() || name.equals("__error__") || name.equals("__error_details__")) return;
    Field f = fields.computeIfAbsent(name, k -> new Field());
    if (f.type == null) f.type = FieldType.of(value);
    if ("json".equals(parser)) f.json = true;
    if ("logfmt".equals(parser)) f.logfmt = true;
    f.values.add(value);
  }

  /** {@code {"fields":[...],"limit":N}} with at most {@code limit} fields (by name), or {@code {}}. */
  public byte[] renderFields(int limit) {
    return render(g -> {
      if (fields.isEmpty()) return;
      g.writeArrayFieldStart("fields");
      int n = 0;
      for (Map.Entry<String, Field> e : fields.entrySet()) {
        if (n++ >= limit) break;
        Field f = e.getValue();
        g.writeStartObject();
        g.writeStringField("label", e.getKey());
        g.writeStringField("type", f.type.jsonName());
        g.writeNumberField("cardinality", f.values.size());
        g.writeFieldName("parsers");
        if (!f.json && !f.logfmt) {
          g.writeNull();
        } else {
          g.writeStartArray();
          if (f.json) g.writeString("json");
          if (f.logfmt) g.writeString("logfmt");
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeNumberField("limit", limit);
    });
  }

  /** {@code {"values":[...],"limit":N}}: distinct values of {@code name}, sorted, at most {@code limit}; or {@code {}}. */
  public byte[] renderValues(String name, int limit) {
    Field f = fields.get(name);
    return render(g -> {
      if (f == null || f.values.isEmpty()) return;
      List<String> sorted = new ArrayList<>(new TreeSet<>(f.values));
      g.writeArrayFieldStart("values");
      for (String v : sorted.subList(0, Math.min(limit, sorted.size()))) g.writeString(v);
      g.writeEndArray();
      g.writeNumberField("limit", limit);
    });
  }

  /** Writes the members of one JSON object. */
  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  static byte[] render(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = LokiJson.generator(out)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
