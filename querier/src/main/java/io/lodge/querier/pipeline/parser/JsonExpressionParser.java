package io.lodge.querier.pipeline.parser;

import io.lodge.querier.pipeline.ErrorLabels;
import io.lodge.querier.pipeline.LabelsBuilder;
import io.lodge.querier.pipeline.StageProcessor;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code | json a="path", b} (LOKI-COMPAT 3.5): only the listed paths. Objects and arrays yield their
 * JSON text as written; {@code null} and missing paths yield an empty value; the labels overwrite
 * whatever held the name before. A line whose first non-blank byte is not {@code {}, {@code [} or
 * {@code "} gets {@code JSONParserErr} without details.
 */
public final class JsonExpressionParser implements StageProcessor {
  private final String[] names;
  private final List<List<Object>> paths;

  public JsonExpressionParser(List<String> names, List<List<Object>> paths) {
    this.names = names.toArray(new String[0]);
    this.paths = List.copyOf(paths);
  }

  @Override
  public byte[] process(long timestampNanos, byte[] line, LabelsBuilder labels) {
    int first = JsonScanner.nextToken(line, 0, line.length);
    if (first < 0 || (line[first] != '{' && line[first] != '[' && line[first] != '"')) {
      labels.setError(ErrorLabels.JSON);
      return line;
    }
    JsonScanner scanner = new JsonScanner();
    for (int i = 0; i < names.length; i++) {
      JsonScanner.Value v = find(scanner, line, paths.get(i));
      String key = labels.parsedKey(names[i]);
      if (v == null) {
        // A missing path yields an empty label, unless the name is already there.
        if (labels.get(key) == null) labels.set(key, "");
        continue;
      }
      String value = switch (v.type()) {
        case NULL -> "";
        case OBJECT, ARRAY -> new String(line, v.start(), v.end() - v.start(), StandardCharsets.UTF_8);
        default -> JsonScanner.leafText(line, v.type(), v.start(), v.end());
      };
      labels.set(key, value);
    }
    return line;
  }

  /** Follows {@code path} from the top-level value; null when a step is missing or the JSON is broken. */
  static JsonScanner.Value find(JsonScanner scanner, byte[] d, List<Object> path) {
    JsonScanner.Value cur = scanner.value(d, 0, d.length);
    for (Object step : path) {
      if (cur == null) return null;
      if (step instanceof String field) {
        if (cur.type() != JsonScanner.Type.OBJECT) return null;
        JsonScanner.Value[] found = new JsonScanner.Value[1];
        scanner.objectEach(d, cur.start(), cur.end(), (data, key, type, s, e) -> {
          if (!key.equals(field)) return null;
          found[0] = new JsonScanner.Value(type, s, e, e);
          return "found";
        });
        cur = found[0];
      } else {
        cur = element(scanner, d, cur, (Integer) step);
      }
    }
    return cur;
  }

  private static JsonScanner.Value element(JsonScanner scanner, byte[] d, JsonScanner.Value array, int index) {
    if (array.type() != JsonScanner.Type.ARRAY) return null;
    int o = JsonScanner.nextToken(d, array.start() + 1, array.end());
    if (o < 0 || d[o] == ']') return null;
    for (int i = 0; ; i++) {
      JsonScanner.Value v = scanner.value(d, o, array.end());
      if (v == null) return null;
      if (i == index) return v;
      o = JsonScanner.nextToken(d, v.next(), array.end());
      if (o < 0 || d[o] != ',') return null;
      o++;
    }
  }
}
