package io.lodge.querier.pipeline.filter;

import java.nio.charset.StandardCharsets;

/** {@code |= "literal"}: a case-sensitive byte substring search. */
public final class ContainsFilter implements LineFilter {
  private final byte[] needle;

  public ContainsFilter(String literal) {
    this.needle = literal.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean matches(byte[] line) {
    return indexOf(line, needle, 0) >= 0;
  }

  /** The first index of {@code needle} in {@code hay} at or after {@code from}, or -1. */
  public static int indexOf(byte[] hay, byte[] needle, int from) {
    int n = needle.length;
    if (n == 0) return from <= hay.length ? from : -1;
    byte first = needle[0];
    int last = hay.length - n;
    for (int i = from; i <= last; i++) {
      if (hay[i] != first) continue;
      int j = 1;
      while (j < n && hay[i + j] == needle[j]) j++;
      if (j == n) return i;
    }
    return -1;
  }
}
