package io.lodge.config;

import java.math.BigInteger;

/**
 * A decimal number as configuration text writes it ({@code 42}, {@code 1.5}), held exactly as
 * {@code unscaled / 10^scale}.
 *
 * <p>Sizes and durations are computed with it rather than with {@code BigDecimal}, whose static
 * initialiser alone takes 25-35 ms in a fresh JVM (it squares large powers of ten in the interpreter),
 * every start, on the way to ready.
 */
record DecimalText(BigInteger unscaled, int scale) {
  /** Parses digits with at most one inner point; the caller has checked that {@code text} is of that form. */
  static DecimalText of(String text) {
    int dot = text.indexOf('.');
    if (dot < 0) return new DecimalText(new BigInteger(text), 0);
    return new DecimalText(new BigInteger(text.substring(0, dot) + text.substring(dot + 1)), text.length() - dot - 1);
  }

  /** {@code 10^n}. */
  static BigInteger pow10(int n) {
    return BigInteger.TEN.pow(n);
  }
}
