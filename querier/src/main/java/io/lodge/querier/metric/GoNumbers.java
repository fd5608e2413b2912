package io.lodge.querier.metric;

import io.lodge.ingester.model.GoQuote;
import io.lodge.querier.logql.GoUnits;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The number parsers Loki applies to label values in {@code unwrap} and in numeric label filters, with
 * Go's error texts (they end up in {@code __error_details__}): {@code strconv.ParseFloat},
 * {@code time.ParseDuration} and go-humanize's {@code ParseBytes}.
 */
final class GoNumbers {
  /** Go float syntax: decimal with optional exponent, or hex mantissa with a binary exponent. */
  private static final Pattern GO_FLOAT = Pattern.compile(
      "[+-]?(?:(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|0[xX](?:[0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)[pP][+-]?\\d+)");

  /** A value that did not parse; the message is Go's. */
  static final class NumberFormatError extends Exception {
    NumberFormatError(String message) {
      super(message, null, false, false);
    }
  }

  private GoNumbers() {}

  /** {@code strconv.ParseFloat(s, 64)}. */
  static double parseFloat(String s) throws NumberFormatError {
    String lower = s.toLowerCase(Locale.ROOT);
    String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
    boolean negative = lower.startsWith("-");
    if (unsigned.equals("inf") || unsigned.equals("infinity")) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (unsigned.equals("nan") && unsigned.length() == lower.length()) return Double.NaN;
    if (!GO_FLOAT.matcher(s).matches()) {
      throw new NumberFormatError("strconv.ParseFloat: parsing " + GoQuote.quote(s) + ": invalid syntax");
    }
    double v = Double.parseDouble(s);
    if (Double.isInfinite(v)) {
      throw new NumberFormatError("strconv.ParseFloat: parsing " + GoQuote.quote(s) + ": value out of range");
    }
    return v;
  }

  /** {@code time.ParseDuration(s)} in seconds, as Loki's {@code duration}/{@code duration_seconds}. */
  static double parseDurationSeconds(String s) throws NumberFormatError {
    long nanos = parseDurationNanos(s);
    // Go's Duration.Seconds(): whole seconds plus the fraction, each converted on its own
    long sec = nanos / 1_000_000_000L;
    long rest = nanos % 1_000_000_000L;
    return (double) sec + (double) rest / 1e9;
  }

  /** {@code time.ParseDuration(s)} in ns. */
  static long parseDurationNanos(String s) throws NumberFormatError {
    String invalid = "time: invalid duration " + GoQuote.quote(s);
    int i = 0;
    boolean neg = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      neg = s.charAt(0) == '-';
      i++;
    }
    if (s.substring(i).equals("0")) return 0L;
    if (i == s.length()) throw new NumberFormatError(invalid);
    BigDecimal total = BigDecimal.ZERO;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && isDigit(s.charAt(i))) i++;
      boolean digits = i > start;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        int fs = i;
        while (i < s.length() && isDigit(s.charAt(i))) i++;
        digits |= i > fs;
      }
      if (!digits) throw new NumberFormatError(invalid);
      String number = s.substring(start, i);
      int us = i;
      while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) i++;
      String unit = s.substring(us, i);
      if (unit.isEmpty()) throw new NumberFormatError("time: missing unit in duration " + GoQuote.quote(s));
      Long mult = GoUnits.DURATION_NANOS.get(unit);
      if (mult == null) {
        throw new NumberFormatError("time: unknown unit " + GoQuote.quote(unit) + " in duration " + GoQuote.quote(s));
      }
      BigDecimal v = new BigDecimal(number.startsWith(".") ? "0" + number : number)
          .multiply(BigDecimal.valueOf(mult)).setScale(0, RoundingMode.DOWN);
      total = total.add(v);
    }
    if (total.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) throw new NumberFormatError(invalid);
    long n = total.longValueExact();
    return neg ? -n : n;
  }

  /** go-humanize {@code ParseBytes}: a number, optional spaces, an SI or IEC unit (case-insensitive). */
  static double parseBytes(String s) throws NumberFormatError {
    int i = 0;
    while (i < s.length() && (isDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == ',')) i++;
    String number = s.substring(0, i).replace(",", "");
    double f;
    try {
      f = Double.parseDouble(number);
    } catch (NumberFormatException e) {
      throw new NumberFormatError("strconv.ParseFloat: parsing " + GoQuote.quote(number) + ": invalid syntax");
    }
    String unit = s.substring(i).trim().toLowerCase(Locale.ROOT);
    Long mult = GoUnits.BYTES.get(unit);
    if (mult == null) throw new NumberFormatError("unhandled size name: " + unit);
    double v = f * mult;
    if (v >= 0x1p64) throw new NumberFormatError("too large: " + s);
    // ParseBytes returns a uint64: the fraction of a byte is cut
    return v >= 0x1p63 ? (double) Long.MAX_VALUE : (double) (long) v;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
