package io.lodge.ingester.chunk;

/**
 * The timestamp column of a block, built for {@code count_over_time}-style scans that read nothing
 * else. Entries are sorted, so each timestamp is stored as its unsigned delta to the previous one,
 * divided by the block's common divisor (timestamps parsed from lines are often whole milliseconds or
 * seconds: the divisor turns those into small numbers), at a fixed byte width, split into byte planes
 * (all low bytes, then all next bytes, ...) so zstd sees the mostly-zero high bytes together.
 *
 * <pre>
 * varint  scale (>= 1): every delta is a multiple of it
 * u8      width w in [0, 8]: bytes per scaled delta (0 when all timestamps are equal)
 * w planes of (entries - 1) bytes: plane p holds byte p (little-endian) of scaled deltas 1..n-1
 * </pre>
 * The first timestamp is the block's min timestamp (in the header); the last must equal its max.
 */
final class TimestampColumn {
  private TimestampColumn() {}

  /** Writes {@code ts[0, n)} (non-decreasing) to {@code out}. */
  static void encode(long[] ts, int n, ByteSink out) {
    long gcd = 0;
    long max = 0;
    boolean huge = false;
    for (int i = 1; i < n; i++) {
      long d = ts[i] - ts[i - 1]; // unsigned: ts is non-decreasing
      if (d < 0) huge = true; // a delta of 2^63 or more: no divisor, full width
      else gcd = gcd(gcd, d);
      if (Long.compareUnsigned(d, max) > 0) max = d;
    }
    long scale = huge || gcd == 0 ? 1 : gcd;
    long maxScaled = Long.divideUnsigned(max, scale);
    int width = (64 - Long.numberOfLeadingZeros(maxScaled) + 7) / 8;
    out.writeVarLong(scale);
    out.writeByte(width);
    int m = n - 1;
    out.ensure(width * m);
    byte[] b = out.array();
    int base = out.size();
    for (int i = 1; i < n; i++) {
      long d = Long.divideUnsigned(ts[i] - ts[i - 1], scale);
      for (int p = 0; p < width; p++) b[base + p * m + (i - 1)] = (byte) (d >>> (8 * p));
    }
    out.advance(width * m);
  }

  /**
   * Decodes {@code n} timestamps from {@code raw[0, len)} into {@code dst}, checking that they run from
   * {@code minTs} to exactly {@code maxTs} without overflow.
   *
   * @param offset the object offset of the stored column, for messages
   */
  static void decode(byte[] raw, int len, int n, long minTs, long maxTs, long[] dst, long offset, String key) {
    ByteSource src = new ByteSource(raw, 0, len, offset, key);
    long scale = src.readVarLong("timestamp scale (decompressed column)");
    int width = src.readByte("timestamp width (decompressed column)");
    if (scale < 1 || width > 8) {
      throw src.error("timestamp scale and width", "scale >= 1 and width <= 8", "scale " + scale + ", width " + width);
    }
    int m = n - 1;
    if ((long) width * m != src.remaining()) {
      throw src.error("timestamp planes", width + " x " + m + " bytes", src.remaining() + " bytes");
    }
    int base = src.position();
    long span = maxTs - minTs; // unsigned
    long maxD = Long.divideUnsigned(span, scale); // so d * scale cannot overflow
    dst[0] = minTs;
    if (m > 0 && Math.unsignedMultiplyHigh(span, m) == 0 && decodeFast(raw, base, width, m, scale, minTs, span, maxD, dst)) {
      return;
    }
    long u = 0; // unsigned offset from minTs so far, kept <= span
    for (int i = 0; i < m; i++) {
      long d = 0;
      for (int p = 0; p < width; p++) d |= (raw[base + p * m + i] & 0xFFL) << (8 * p);
      long step = d * scale;
      if (Long.compareUnsigned(d, maxD) > 0 || Long.compareUnsigned(step, span - u) > 0) {
        throw new ChunkFormatException("timestamp delta " + (i + 1), "at most " + Long.toUnsignedString(span - u) + " ns",
            Long.toUnsignedString(d) + " x " + scale, offset, key);
      }
      u += step;
      dst[i + 1] = minTs + u;
    }
    if (u != span) {
      throw new ChunkFormatException("timestamps column", "a last timestamp of " + maxTs, Long.toString(minTs + u), offset, key);
    }
  }

  /**
   * The common case of {@link #decode}, in two simple loops (the planes gathered into {@code dst}, then
   * the running sum) instead of a loop over the planes per entry: a count spent a third of its time
   * here. With every delta at most {@code maxD} and {@code m * span} below 2^64 the running sum cannot
   * overflow, and it never decreases, so ending exactly at {@code span} proves every step stayed in
   * range. False when the column is corrupt (a delta too big, or a sum that ends elsewhere): the caller
   * then decodes it again the careful way, which reports where.
   */
  private static boolean decodeFast(byte[] raw, int base, int width, int m, long scale, long minTs, long span, long maxD,
      long[] dst) {
    if (width == 0) {
      java.util.Arrays.fill(dst, 1, m + 1, 0L);
    } else {
      for (int i = 0; i < m; i++) dst[i + 1] = raw[base + i] & 0xFFL;
      for (int p = 1; p < width; p++) {
        int off = base + p * m;
        int shift = 8 * p;
        for (int i = 0; i < m; i++) dst[i + 1] |= (raw[off + i] & 0xFFL) << shift;
      }
    }
    long u = 0;
    boolean tooBig = false;
    for (int i = 1; i <= m; i++) {
      long d = dst[i];
      tooBig |= Long.compareUnsigned(d, maxD) > 0;
      u += d * scale;
      dst[i] = minTs + u;
    }
    return !tooBig && u == span;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
