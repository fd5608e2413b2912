package io.lodge.querier.pipeline.parser;

import io.lodge.querier.pipeline.ErrorLabels;
import io.lodge.querier.pipeline.LabelsBuilder;
import io.lodge.querier.pipeline.StageProcessor;

/**
 * {@code | logfmt [--strict] [--keep-empty]} without parameters (LOKI-COMPAT 3.5): every pair becomes a
 * label (sanitised key, implicit: earlier metadata/parsed names win). Lenient mode skips malformed pairs
 * and never errors; {@code --strict} stops at the first one with {@code LogfmtParserErr}; pairs without
 * a value are dropped unless {@code --keep-empty}.
 */
public final class LogfmtParser implements StageProcessor {
  private final boolean strict;
  private final boolean keepEmpty;

  public LogfmtParser(boolean strict, boolean keepEmpty) {
    this.strict = strict;
    this.keepEmpty = keepEmpty;
  }

  @Override
  public byte[] process(long timestampNanos, byte[] line, LabelsBuilder labels) {
    LogfmtDecoder dec = new LogfmtDecoder();
    dec.reset(line);
    while (!dec.atEnd()) {
      if (!dec.next()) {
        if (dec.error() == null || strict) break;
        dec.skipByte();
        continue;
      }
      // Most words of a non-logfmt line are bare keys: skip them before building strings.
      if (!keepEmpty && !dec.hasValue()) continue;
      String key = dec.key();
      if (key == null) continue;
      String name = LabelKeys.sanitize(key, true);
      if (name.isEmpty()) continue;
      String value = dec.value();
      // U+FFFD is refused in label values, so Loki drops such values.
      if (value != null && value.indexOf('\uFFFD') >= 0) value = null;
      if (value == null || value.isEmpty()) {
        if (!keepEmpty) continue;
        value = "";
      }
      labels.setIfAbsent(labels.parsedKey(name), value);
    }
    if (strict && dec.error() != null) {
      labels.setError(ErrorLabels.LOGFMT);
      labels.setErrorDetails(dec.error());
    }
    return line;
  }
}
