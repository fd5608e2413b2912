package io.lodge.querier.pipeline.format;

import com.google.re2j.Pattern;
import io.lodge.querier.pipeline.LabelsBuilder;
import io.lodge.querier.pipeline.StageProcessor;
import java.nio.charset.StandardCharsets;

/**
 * {@code | decolorize} (LOKI-COMPAT 3.8): removes ANSI escape sequences (CSI/OSC colour and cursor
 * codes introduced by ESC or the 8-bit CSI) from the line. Lines without an escape byte pass untouched.
 */
public final class Decolorizer implements StageProcessor {
  private static final Pattern ANSI = Pattern.compile(
      "[\\x{1b}\\x{9b}][\\[\\]()#;?]*(?:(?:(?:[a-zA-Z\\d]*(?:;[a-zA-Z\\d]*)*)?\\x{07})"
          + "|(?:(?:\\d{1,4}(?:;\\d{0,4})*)?[\\dA-PRZcf-ntqry=><~]))");

  @Override
  public byte[] process(long timestampNanos, byte[] line, LabelsBuilder labels) {
    boolean candidate = false;
    for (int i = 0; i < line.length; i++) {
      // ESC, or the second byte of U+009B (C2 9B) in UTF-8.
      if (line[i] == 0x1b || (line[i] == (byte) 0x9b && i > 0 && line[i - 1] == (byte) 0xc2)) {
        candidate = true;
        break;
      }
    }
    if (!candidate) return line;
    String s = new String(line, StandardCharsets.UTF_8);
    return ANSI.matcher(s).replaceAll("").getBytes(StandardCharsets.UTF_8);
  }
}
