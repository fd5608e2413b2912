package io.lodge.ingester.read;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A case-sensitive substring search over the lines of a decoded block, run on the block's concatenated
 * line bytes rather than line by line: the scan looks for two "anchor" bytes of the literal (the two
 * least likely in log text) at their distance from each other, eight positions at a time (SWAR: a
 * word-wide test for bytes equal to the anchor, on two words loaded that distance apart), checks the
 * whole literal only where both anchors occur, and maps a hit to its line through the offsets. A hit
 * that straddles two lines is not a match. Immutable; share freely.
 *
 * <p>The zero-byte test {@code (x - 0x01..) & ~x & 0x80..} flags every byte that is zero (and maybe a
 * 0x01 byte above one), so AND-ing the two masks never loses a candidate; candidates are verified.
 */
final class LiteralSearch {
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private final byte[] literal;
  private final int anchor; // index in the literal of the byte the scan looks for
  private final long pattern; // the anchor byte in every byte of a word
  private final int delta; // position of the second anchor relative to the first (0: none)
  private final long pattern2;

  LiteralSearch(byte[] literal) {
    if (literal.length == 0) throw new IllegalArgumentException("empty literal");
    this.literal = literal.clone();
    this.anchor = rarestByte(literal, -1);
    this.pattern = (literal[anchor] & 0xFFL) * ONES;
    int second = literal.length > 1 ? rarestByte(literal, anchor) : anchor;
    this.delta = second - anchor;
    this.pattern2 = (literal[second] & 0xFFL) * ONES;
  }

  int length() {
    return literal.length;
  }

  /**
   * The first line in {@code [from, to)} that contains the literal, or {@code to}. Line i is
   * {@code buf[offsets[i], offsets[i + 1])}.
   */
  int nextMatch(byte[] buf, int[] offsets, int from, int to) {
    int line = from;
    int pos = offsets[from];
    int end = offsets[to];
    while (line < to) {
      int hit = indexOf(buf, pos, end);
      if (hit < 0) return to;
      while (offsets[line + 1] <= hit) line++;
      if (hit + literal.length <= offsets[line + 1]) return line;
      pos = hit + 1; // straddles the end of this line: look further
    }
    return to;
  }

  /** Whether {@code buf[off, off+len)} contains the literal. */
  boolean contains(byte[] buf, int off, int len) {
    return indexOf(buf, off, off + len) >= 0;
  }

  /** The first index of the literal within {@code buf[from, to)}, or -1. */
  int indexOf(byte[] buf, int from, int to) {
    int n = literal.length;
    int a = anchor;
    int i = from + a; // where the anchor byte of a match at {@code from} would be
    int last = to - n + a; // the last position the anchor of a match can take
    int d = delta;
    // eight candidate anchor positions per step, as long as both words fit before the end of the
    // range (the second anchor of a candidate at i..i+7 lies at i+d..i+d+7, inside the literal's span)
    while (i + 8 <= last + 1) {
      long x = (long) LONG_LE.get(buf, i) ^ pattern;
      long y = (long) LONG_LE.get(buf, i + d) ^ pattern2;
      // high bit set for the zero bytes of x and y (see the class comment)
      long m = (x - ONES) & ~x & (y - ONES) & ~y & HIGHS;
      while (m != 0) {
        int start = i + (Long.numberOfTrailingZeros(m) >>> 3) - a;
        if (matchesAt(buf, start)) return start;
        m &= m - 1;
      }
      i += 8;
    }
    byte ab = literal[a];
    for (; i <= last; i++) {
      if (buf[i] == ab && matchesAt(buf, i - a)) return i - a;
    }
    return -1;
  }

  private boolean matchesAt(byte[] buf, int start) {
    byte[] lit = literal;
    int n = lit.length;
    if (n <= 16) {
      for (int j = 0; j < n; j++) if (buf[start + j] != lit[j]) return false;
      return true;
    }
    return Arrays.equals(buf, start, start + n, lit, 0, n);
  }

  /**
   * The index of the literal's byte least frequent in typical log text, by a rough rank: spaces and
   * frequent lower-case letters are common, digits and upper-case letters rarer, punctuation and
   * non-ASCII rarer still. The first of equally rare bytes wins.
   */
  static int rarestByte(byte[] literal) {
    return rarestByte(literal, -1);
  }

  /** Like {@link #rarestByte(byte[])}, leaving out index {@code except}. */
  private static int rarestByte(byte[] literal, int except) {
    int best = except == 0 ? 1 : 0;
    int bestRank = Integer.MAX_VALUE;
    for (int i = 0; i < literal.length; i++) {
      if (i == except) continue;
      int r = rank(literal[i]);
      if (r < bestRank) {
        bestRank = r;
        best = i;
      }
    }
    return best;
  }

  private static int rank(byte b) {
    if (b == ' ') return 10;
    if ("etaoinsrhl".indexOf(b) >= 0) return 9;
    if (b >= 'a' && b <= 'z') return 7;
    if (b >= '0' && b <= '9') return 6;
    if (b == '.' || b == ':' || b == '=' || b == '-' || b == '/' || b == '_' || b == ',') return 5;
    if (b >= 'A' && b <= 'Z') return 4;
    if (b < 0) return 3;
    return 2;
  }
}
