package io.lodge.querier.pipeline.parser;

import io.lodge.querier.pipeline.ErrorLabels;
import io.lodge.querier.pipeline.LabelsBuilder;
import io.lodge.querier.pipeline.StageProcessor;
import java.util.List;

/**
 * {@code | logfmt [flags] a="key", b} (LOKI-COMPAT 3.5): only the listed keys, overwriting earlier
 * values of the target names; a key missing from the line yields an empty label (unless the name is
 * already present). The expression is a plain logfmt key, checked when the stage is built.
 */
public final class LogfmtExpressionParser implements StageProcessor {
  private final String[] names;
  private final String[] keys;
  private final boolean strict;
  private final boolean keepEmpty;

  public LogfmtExpressionParser(List<String> names, List<String> keys, boolean strict, boolean keepEmpty) {
    this.names = names.toArray(new String[0]);
    this.keys = keys.toArray(new String[0]);
    this.strict = strict;
    this.keepEmpty = keepEmpty;
  }

  /** Null when {@code expr} is a valid key, else the reason ({@code unexpected char .}). */
  public static String checkKey(String expr) {
    if (expr.isEmpty()) return "empty expression";
    for (int i = 0; i < expr.length(); i++) {
      char c = expr.charAt(i);
      boolean ok = c == '_' || c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!ok) return "unexpected char " + c;
    }
    return null;
  }

  @Override
  public byte[] process(long timestampNanos, byte[] line, LabelsBuilder labels) {
    LogfmtDecoder dec = new LogfmtDecoder();
    dec.reset(line);
    boolean[] found = new boolean[names.length];
    while (!dec.atEnd()) {
      if (!dec.next()) {
        if (dec.error() == null || strict) break;
        dec.skipByte();
        continue;
      }
      String key = dec.key();
      if (key == null) continue;
      for (int i = 0; i < keys.length; i++) {
        if (!keys[i].equals(key)) continue;
        String value = dec.value();
        if (value != null && value.indexOf('\uFFFD') >= 0) value = null;
        if ((value == null || value.isEmpty()) && !keepEmpty && found[i]) continue;
        labels.set(labels.parsedKey(names[i]), value == null ? "" : value);
        found[i] = true;
      }
    }
    for (int i = 0; i < names.length; i++) {
      String key = labels.parsedKey(names[i]);
      if (!found[i] && labels.get(key) == null) labels.set(key, "");
    }
    if (strict && dec.error() != null) {
      labels.setError(ErrorLabels.LOGFMT);
      labels.setErrorDetails(dec.error());
    }
    return line;
  }
}
