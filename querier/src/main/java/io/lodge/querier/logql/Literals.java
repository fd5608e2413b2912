package io.lodge.querier.logql;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * Parsing of LogQL's unit literals: Prometheus durations (ranges), Prometheus-then-Go durations
 * (label filters, offset) and go-humanize byte sizes (LOKI-COMPAT §3.1).
 */
final class Literals {
  private static final long MS = 1_000_000L;
  /** Prometheus units with their order (biggest first) and size in ms. */
  private static final Map<String, long[]> PROM_UNITS = Map.of(
      "y", new long[] {1, 365L * 24 * 3600 * 1000}, "w", new long[] {2, 7L * 24 * 3600 * 1000},
      "d", new long[] {3, 24L * 3600 * 1000}, "h", new long[] {4, 3600L * 1000},
      "m", new long[] {5, 60L * 1000}, "s", new long[] {6, 1000}, "ms", new long[] {7, 1});

  private Literals() {}

  /**
   * Prometheus {@code model.ParseDuration}: integer + unit groups in decreasing unit order. Returns
   * nanoseconds; throws {@link IllegalArgumentException} with Prometheus' message on bad input.
   */
  static long parsePromDuration(String s) {
    if (s.equals("0")) return 0;
    if (s.isEmpty()) throw new IllegalArgumentException("empty duration string");
    String invalid = "not a valid duration string: " + quote(s);
    long totalMs = 0;
    int lastPos = 0;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && isAsciiDigit(s.charAt(i))) i++;
      if (i == start) throw new IllegalArgumentException(invalid);
      long v;
      try {
        v = Long.parseLong(s.substring(start, i));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(invalid, e);
      }
      int us = i;
      while (i < s.length() && !isAsciiDigit(s.charAt(i))) i++;
      if (i == us) throw new IllegalArgumentException(invalid);
      String unit = s.substring(us, i);
      long[] u = PROM_UNITS.get(unit);
      if (u == null) {
        throw new IllegalArgumentException("unknown unit " + quote(unit) + " in duration " + quote(s));
      }
      if (u[0] <= lastPos) throw new IllegalArgumentException(invalid);
      lastPos = (int) u[0];
      if (v > Long.MAX_VALUE / MS / u[1]) throw new IllegalArgumentException("duration out of range");
      totalMs += v * u[1];
      if (totalMs > Long.MAX_VALUE / MS) throw new IllegalArgumentException("duration out of range");
    }
    return totalMs * MS;
  }

  /** Label-filter and offset durations: Prometheus syntax first, then Go's; null when neither. */
  static Long parseDuration(String s) {
    try {
      return parsePromDuration(s);
    } catch (IllegalArgumentException e) {
      return parseGoDuration(s);
    }
  }

  /** Go's {@code time.ParseDuration} ({@code 1.5s}, {@code -5m}, {@code 1h15m30.9s}); null on error. */
  static Long parseGoDuration(String s) {
    int i = 0;
    boolean neg = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      neg = s.charAt(0) == '-';
      i++;
    }
    if (s.substring(i).equals("0")) return 0L;
    if (i == s.length()) return null;
    BigDecimal total = BigDecimal.ZERO;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && isAsciiDigit(s.charAt(i))) i++;
      boolean digits = i > start;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        int fs = i;
        while (i < s.length() && isAsciiDigit(s.charAt(i))) i++;
        digits |= i > fs;
      }
      if (!digits) return null;
      String number = s.substring(start, i);
      int us = i;
      while (i < s.length() && s.charAt(i) != '.' && !isAsciiDigit(s.charAt(i))) i++;
      Long mult = GoUnits.DURATION_NANOS.get(s.substring(us, i));
      if (mult == null) return null;
      BigDecimal v = new BigDecimal(number.startsWith(".") ? "0" + number : number)
          .multiply(BigDecimal.valueOf(mult)).setScale(0, RoundingMode.DOWN);
      total = total.add(v);
    }
    if (total.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) return null;
    long n = total.longValueExact();
    return neg ? -n : n;
  }

  /** go-humanize {@code ParseBytes} (units case-insensitive, SI and IEC); null on error. */
  static Long parseBytes(String s) {
    int i = 0;
    while (i < s.length() && (isAsciiDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
    double f;
    try {
      f = Double.parseDouble(s.substring(0, i));
    } catch (NumberFormatException e) {
      return null;
    }
    Long mult = GoUnits.BYTES.get(s.substring(i).trim().toLowerCase(java.util.Locale.ROOT));
    if (mult == null) return null;
    double v = f * mult;
    if (v >= 0x1p64) return null;
    return v >= 0x1p63 ? Long.MAX_VALUE : (long) v;
  }

  static boolean isAsciiDigit(int c) {
    return c >= '0' && c <= '9';
  }

  static boolean isDurationRune(int c) {
    return switch (c) {
      case 'n', 'u', 'µ', 'm', 's', 'h', 'd', 'w', 'y' -> true;
      default -> false;
    };
  }

  static boolean isBytesRune(int c) {
    return switch (c) {
      case 'B', 'i', 'k', 'K', 'M', 'G', 'T', 'P' -> true;
      default -> false;
    };
  }

  private static String quote(String s) {
    return io.lodge.ingester.model.GoQuote.quote(s);
  }
}
