package io.lodge.querier.pipeline.parser;

import io.lodge.querier.pipeline.ErrorLabels;
import io.lodge.querier.pipeline.LabelsBuilder;
import io.lodge.querier.pipeline.StageProcessor;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code | json} without parameters (LOKI-COMPAT 3.5): every string, number and boolean leaf of the
 * line's object becomes a label; nested objects join their sanitised keys with {@code _}; arrays and
 * nulls are skipped; numbers keep their source text. Implicit: names already held as metadata or
 * parsed earlier are not overwritten. A malformed line keeps the labels found before the fault and
 * gets {@code __error__="JSONParserErr"} with the scanner's message as details.
 */
public final class JsonParser implements StageProcessor {
  @Override
  public byte[] process(long timestampNanos, byte[] line, LabelsBuilder labels) {
    JsonScanner scanner = new JsonScanner();
    Walker w = new Walker(scanner, labels);
    String err = scanner.objectEach(line, 0, line.length, w);
    if (err != null) {
      labels.setError(ErrorLabels.JSON);
      labels.setErrorDetails(err);
    }
    return line;
  }

  /** Visits members, tracking the key path of nested objects. */
  private static final class Walker implements JsonScanner.MemberVisitor {
    private final JsonScanner scanner;
    private final LabelsBuilder labels;
    private final List<String> prefix = new ArrayList<>(4);

    Walker(JsonScanner scanner, LabelsBuilder labels) {
      this.scanner = scanner;
      this.labels = labels;
    }

    @Override
    public String member(byte[] d, String key, JsonScanner.Type type, int start, int end) {
      switch (type) {
        case STRING, NUMBER, BOOLEAN -> {
          String name = name(key);
          if (name.isEmpty()) return null;
          labels.setIfAbsent(labels.parsedKey(name), JsonScanner.leafText(d, type, start, end));
          return null;
        }
        case OBJECT -> {
          prefix.add(key);
          String err = scanner.objectEach(d, start, end, this);
          prefix.remove(prefix.size() - 1);
          return err;
        }
        default -> {
          return null;
        }
      }
    }

    private String name(String key) {
      if (prefix.isEmpty()) return LabelKeys.sanitize(key, true);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < prefix.size(); i++) sb.append(LabelKeys.sanitize(prefix.get(i), i == 0)).append('_');
      return sb.append(LabelKeys.sanitize(key, false)).toString();
    }
  }
}
