package io.lodge.querier.pipeline.parser;

import io.lodge.querier.pipeline.ErrorLabels;
import io.lodge.querier.pipeline.LabelsBuilder;
import io.lodge.querier.pipeline.StageProcessor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code | unpack} for promtail's {@code pack} format (LOKI-COMPAT 3.5): a line that is a JSON object
 * with a string field {@code _entry} is replaced by that value and its other top-level string fields
 * become labels (implicit parser). Without {@code _entry} nothing changes; a line not starting with
 * {@code {} or not parsing gets {@code JSONParserErr}.
 */
public final class UnpackParser implements StageProcessor {
  static final String NOT_OBJECT = "expecting json object(6), but it is not";

  @Override
  public byte[] process(long timestampNanos, byte[] line, LabelsBuilder labels) {
    if (line.length == 0 || line[0] != '{') {
      labels.setError(ErrorLabels.JSON);
      labels.setErrorDetails(NOT_OBJECT);
      return line;
    }
    List<String> found = new ArrayList<>();
    String[] entry = new String[1];
    String err = new JsonScanner().objectEach(line, 0, line.length, (d, key, type, s, e) -> {
      if (type != JsonScanner.Type.STRING) return null;
      String v = JsonScanner.leafText(d, type, s, e);
      if (key.equals("_entry")) {
        entry[0] = v;
      } else {
        found.add(key);
        found.add(v);
      }
      return null;
    });
    if (err != null) {
      labels.setError(ErrorLabels.JSON);
      labels.setErrorDetails(err);
      return line;
    }
    if (entry[0] == null) return line;
    for (int i = 0; i < found.size(); i += 2) {
      String name = LabelKeys.sanitize(found.get(i), true);
      if (!name.isEmpty()) labels.setIfAbsent(labels.parsedKey(name), found.get(i + 1));
    }
    return entry[0].getBytes(StandardCharsets.UTF_8);
  }
}
