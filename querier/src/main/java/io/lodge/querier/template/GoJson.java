package io.lodge.querier.template;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sprig's {@code fromJson}: {@code json.Unmarshal} into {@code interface{}} (objects become sorted
 * maps, arrays lists, every number a float64); input that is not one JSON value gives nil.
 */
final class GoJson {
  private GoJson() {}

  private static final JsonFactory FACTORY = new JsonFactory();

  static Object decode(String text) {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) return null;
      Object v = value(p, t);
      if (p.nextToken() != null) return null;
      return v;
    } catch (IOException | NumberFormatException e) {
      // Unmarshal's error is dropped by Sprig: the template sees nil.
      return null;
    }
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new TreeMap<>();
        JsonToken k;
        while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          m.put(name, value(p, p.nextToken()));
        }
        yield m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) l.add(value(p, e));
        yield l;
      }
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> Double.parseDouble(p.getText());
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new IOException("unexpected token " + t);
    };
  }
}
