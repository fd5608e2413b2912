package io.lodge.querier.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Extracts the fields Loki's {@code json} and {@code logfmt} parsers would produce from one line, for
 * detected fields (LOKI-COMPAT 2.10): JSON object leaves flattened with {@code _} (arrays skipped), logfmt
 * {@code key=value} pairs (empty values skipped), keys sanitized to label names.
 */
public final class LineFields {
  private static final JsonFactory JSON = new JsonFactory();

  /** One extracted field. */
  public record Field(String name, String value) {}

  private LineFields() {}

  /** The fields of a JSON object line, or null when the line is not a complete JSON object. */
  public static List<Field> json(byte[] line) {
    int i = 0;
    while (i < line.length && (line[i] == ' ' || line[i] == '\t')) i++;
    if (i >= line.length || line[i] != '{') return null;
    List<Field> out = new ArrayList<>();
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return null;
      readObject(p, "", out);
      if (p.nextToken() != null) return null; // trailing data: not one JSON object
    } catch (IOException malformed) {
      return null;
    }
    return out;
  }

  private static void readObject(JsonParser p, String prefix, List<Field> out) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
      if (t != JsonToken.FIELD_NAME) throw new IOException("expected a field name, got " + t);
      String key = prefix.isEmpty() ? sanitize(p.currentName()) : prefix + "_" + sanitize(p.currentName());
      JsonToken v = p.nextToken();
      switch (v) {
        case START_OBJECT -> readObject(p, key, out);
        case START_ARRAY -> p.skipChildren(); // Loki's json parser ignores arrays without parameters
        case VALUE_NULL -> { }
        case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE ->
            out.add(new Field(key, p.getText()));
        default -> throw new IOException("unexpected " + v);
      }
    }
  }

  /**
   * The fields of a logfmt line (go-logfmt's grammar: {@code key}, {@code key=}, {@code key=value},
   * {@code key="quoted \" value"}), or null when a quoted value is not terminated.
   */
  public static List<Field> logfmt(byte[] bytes) {
    String line = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    List<Field> out = new ArrayList<>();
    int n = line.length();
    int i = 0;
    while (i < n) {
      while (i < n && line.charAt(i) <= ' ') i++;
      if (i >= n) break;
      int keyStart = i;
      while (i < n && line.charAt(i) > ' ' && line.charAt(i) != '=' && line.charAt(i) != '"') i++;
      String key = line.substring(keyStart, i);
      if (i < n && line.charAt(i) == '"') {
        // a quote inside a key: go-logfmt reports an error; skip to the next space like a lenient reader
        while (i < n && line.charAt(i) > ' ') i++;
        continue;
      }
      if (i >= n || line.charAt(i) != '=') continue; // a bare key has no value
      i++;
      String value;
      if (i < n && line.charAt(i) == '"') {
        StringBuilder v = new StringBuilder();
        i++;
        boolean closed = false;
        while (i < n) {
          char c = line.charAt(i++);
          if (c == '\\' && i < n) {
            char e = line.charAt(i++);
            switch (e) {
              case 'n' -> v.append('\n');
              case 't' -> v.append('\t');
              case 'r' -> v.append('\r');
              default -> v.append(e);
            }
          } else if (c == '"') {
            closed = true;
            break;
          } else {
            v.append(c);
          }
        }
        if (!closed) return null;
        value = v.toString();
      } else {
        int vs = i;
        while (i < n && line.charAt(i) > ' ') i++;
        value = line.substring(vs, i);
      }
      if (key.isEmpty() || value.isEmpty()) continue;
      out.add(new Field(sanitize(key), value));
    }
    return out;
  }

  /** Loki's label-key sanitizing: invalid characters become {@code _}, a leading digit gets a {@code _}. */
  public static String sanitize(String key) {
    String k = key.strip();
    if (k.isEmpty()) return k;
    StringBuilder sb = new StringBuilder(k.length() + 1);
    if (k.charAt(0) >= '0' && k.charAt(0) <= '9') sb.append('_');
    for (int i = 0; i < k.length(); i++) {
      char c = k.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      sb.append(ok ? c : '_');
    }
    return sb.toString();
  }
}
