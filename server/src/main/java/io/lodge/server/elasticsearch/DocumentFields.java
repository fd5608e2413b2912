package io.lodge.server.elasticsearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * One JSON document flattened to {@code (dotted path, text)} pairs with jackson's streaming parser:
 * nested objects become {@code host.name}, scalars their text, arrays their compact JSON, nulls and
 * empty objects nothing. Field order is document order.
 */
final class DocumentFields {
  /** One leaf: its dotted path, its text, and whether it was a JSON number (for time fields). */
  record Field(String path, String value, boolean number) {}

  private static final int MAX_DEPTH = 64;

  private final List<Field> fields = new ArrayList<>();

  private DocumentFields() {}

  /** Parses {@code b[off, off+len)}, which must hold exactly one JSON object. */
  static DocumentFields parse(JsonFactory json, byte[] b, int off, int len) throws IOException {
    DocumentFields d = new DocumentFields();
    try (JsonParser p = json.createParser(b, off, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new DocumentException("expected a JSON object, got " + describe(p.currentToken()));
      }
      d.readObject(json, p, "", 0);
      JsonToken trailing = p.nextToken();
      if (trailing != null) throw new DocumentException("unexpected " + describe(trailing) + " after the document");
    }
    return d;
  }

  List<Field> fields() {
    return fields;
  }

  /** The first field at one of {@code paths} (in the order of {@code paths}), or null. */
  Field first(List<String> paths) {
    for (String path : paths) {
      for (Field f : fields) if (f.path().equals(path)) return f;
    }
    return null;
  }

  private void readObject(JsonFactory json, JsonParser p, String prefix, int depth) throws IOException {
    if (depth > MAX_DEPTH) throw new DocumentException("document nested deeper than " + MAX_DEPTH + " levels");
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String path = prefix.isEmpty() ? p.currentName() : prefix + "." + p.currentName();
      JsonToken t = p.nextToken();
      switch (t) {
        case START_OBJECT -> readObject(json, p, path, depth + 1);
        case START_ARRAY -> {
          StringWriter w = new StringWriter();
          try (JsonGenerator g = json.createGenerator(w)) {
            g.copyCurrentStructure(p);
          }
          fields.add(new Field(path, w.toString(), false));
        }
        case VALUE_NULL -> { }
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> fields.add(new Field(path, p.getText(), true));
        default -> fields.add(new Field(path, p.getText(), false));
      }
    }
  }

  private static String describe(JsonToken t) {
    return t == null ? "the end of the line" : t.asString() != null ? "'" + t.asString() + "'" : t.name();
  }

  /** A line that is valid JSON but not a document. */
  static final class DocumentException extends IOException {
    DocumentException(String message) {
      super(message);
    }
  }
}
