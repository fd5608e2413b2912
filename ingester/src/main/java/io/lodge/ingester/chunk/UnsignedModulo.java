package io.lodge.ingester.chunk;

import java.math.BigInteger;

/**
 * {@code Long.remainderUnsigned(x, d)} for a divisor fixed over many calls, with a multiply instead of a
 * 64-bit division: Granlund and Montgomery, "Division by invariant integers using multiplication" (1994),
 * figure 4.1, exact for every unsigned 64-bit {@code x} and {@code 2 <= d <= 2^62}. Building a block's token
 * filter takes seven remainders per distinct token; the divisions were ~4% of ingest CPU.
 */
final class UnsignedModulo {
  /** Far above any filter's bit count (at most 2^37); keeps the divisor a positive long. */
  static final long MAX_DIVISOR = 1L << 62;

  private final long divisor;
  private final long magic;
  private final int shift;

  UnsignedModulo(long divisor) {
    if (divisor < 2 || divisor > MAX_DIVISOR) {
      throw new IllegalArgumentException("divisor must be in [2, 2^62], got " + Long.toUnsignedString(divisor));
    }
    this.divisor = divisor;
    int l = 64 - Long.numberOfLeadingZeros(divisor - 1); // ceil(log2 divisor)
    BigInteger d = BigInteger.valueOf(divisor);
    // floor(2^64 * (2^l - d) / d) + 1 < 2^64 because 2^(l-1) < d: its low 64 bits are the whole value
    this.magic = BigInteger.ONE.shiftLeft(64).multiply(BigInteger.ONE.shiftLeft(l).subtract(d)).divide(d)
        .add(BigInteger.ONE).longValue();
    this.shift = l - 1;
  }

  long divisor() {
    return divisor;
  }

  /** {@code x} mod the divisor, both unsigned. */
  long mod(long x) {
    long t = Math.unsignedMultiplyHigh(magic, x);
    long q = (t + ((x - t) >>> 1)) >>> shift;
    return x - q * divisor;
  }
}
