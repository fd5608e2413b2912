package io.lodge.querier.pipeline.filter;

import com.google.re2j.Pattern;
import java.nio.charset.StandardCharsets;

/**
 * {@code |~ "(?i)literal"} without running the regex: an ASCII case-insensitive substring search. RE2's
 * case folding is Unicode-aware ({@code k} also matches the Kelvin sign), so a line with non-ASCII
 * bytes that the fast search rejects is handed to the regex to stay exact.
 */
public final class CaseInsensitiveContainsFilter implements LineFilter {
  private final byte[] lower;
  private final Pattern fallback;

  CaseInsensitiveContainsFilter(String asciiLiteral, Pattern fallback) {
    byte[] b = asciiLiteral.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < b.length; i++) b[i] = lowerAscii(b[i]);
    this.lower = b;
    this.fallback = fallback;
  }

  @Override
  public boolean matches(byte[] line) {
    if (find(line)) return true;
    for (byte b : line) if (b < 0) return fallback.matcher(line).find();
    return false;
  }

  private boolean find(byte[] line) {
    int n = lower.length;
    int last = line.length - n;
    for (int i = 0; i <= last; i++) {
      int j = 0;
      while (j < n && lowerAscii(line[i + j]) == lower[j]) j++;
      if (j == n) return true;
    }
    return false;
  }

  private static byte lowerAscii(byte b) {
    return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
  }

  @Override
  public int cost() {
    return 2;
  }
}
