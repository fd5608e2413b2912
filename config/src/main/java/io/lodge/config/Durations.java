package io.lodge.config;

import java.math.BigInteger;
import java.time.Duration;

/**
 * Durations as Loki's configuration writes them. Loki has two kinds of duration fields: Go's
 * {@code time.Duration} ({@code 1h30m}, {@code 1.5h}, {@code 500ms}, {@code 250us}) and Prometheus'
 * {@code model.Duration} ({@code 7d}, {@code 1w}, {@code 30d1h}, {@code 1y}). {@link #parse} accepts the union
 * of both syntaxes for every field, so a user never has to know which kind a key is; rendering keeps each
 * field's own style so Loki can read Lodge's output back.
 */
public final class Durations {
  private static final long NS = 1, US = 1_000, MS = 1_000_000, S = 1_000_000_000L;
  private static final long M = 60 * S, H = 60 * M, D = 24 * H, W = 7 * D, Y = 365 * D;

  private Durations() {}

  /**
   * Parses {@code 0}, {@code 168h}, {@code 7d}, {@code 1h30m}, {@code 1.5h}, {@code 500ms}, {@code 2w}, {@code -1s}.
   *
   * @throws IllegalArgumentException naming the text when it is not a duration (callers add the key)
   */
  public static Duration parse(String text) {
    String s = text.trim();
    if (s.equals("0") || s.equals("-0") || s.equals("+0")) return Duration.ZERO;
    int i = 0;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      i = 1;
    }
    if (i == s.length()) throw bad(text);
    // Go's time.ParseDuration truncates each term's fractional nanoseconds (0.5ns0.5ns is 0s), then
    // adds the terms; it caps the sum at ~292 years
    BigInteger total = BigInteger.ZERO;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
      String number = s.substring(start, i);
      if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) throw bad(text);
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') i++;
      String unit = s.substring(unitStart, i);
      long nanos = switch (unit) {
        case "ns" -> NS;
        case "us", "µs", "μs" -> US;
        case "ms" -> MS;
        case "s" -> S;
        case "m" -> M;
        case "h" -> H;
        case "d" -> D;
        case "w" -> W;
        case "y" -> Y;
        case "" -> throw new IllegalArgumentException("missing unit in duration '" + text
            + "' (expected one of ns, us, ms, s, m, h, d, w, y)");
        default -> throw new IllegalArgumentException("unknown unit '" + unit + "' in duration '" + text
            + "' (expected one of ns, us, ms, s, m, h, d, w, y)");
      };
      DecimalText term = DecimalText.of(number);
      total = total.add(term.unscaled().multiply(BigInteger.valueOf(nanos)).divide(DecimalText.pow10(term.scale())));
    }
    if (total.bitLength() > 63) {
      throw new IllegalArgumentException("duration '" + text + "' is too long (at most 2562047h47m16.854775807s)");
    }
    long n = total.longValue();
    return Duration.ofNanos(negative ? -n : n);
  }

  /** Go's {@code time.Duration.String()} layout: {@code 2h0m0s}, {@code 1m30s}, {@code 500ms}, {@code 1.5µs}, {@code 0s}. */
  public static String formatGo(Duration d) {
    long n = toNanos(d);
    if (n == 0) return "0s";
    StringBuilder sb = new StringBuilder();
    if (n < 0) {
      sb.append('-');
      if (n == Long.MIN_VALUE) throw new IllegalArgumentException("duration out of range: " + d);
      n = -n;
    }
    if (n < S) {
      if (n < US) return sb.append(n).append("ns").toString();
      if (n < MS) return sb.append(fraction(n, US)).append("µs").toString();
      return sb.append(fraction(n, MS)).append("ms").toString();
    }
    long hours = n / H;
    long minutes = (n % H) / M;
    long secNanos = n % M;
    if (hours > 0) sb.append(hours).append('h');
    if (hours > 0 || minutes > 0) sb.append(minutes).append('m');
    return sb.append(fraction(secNanos, S)).append('s').toString();
  }

  /**
   * Prometheus' {@code model.Duration.String()} layout: {@code 1w}, {@code 30d1h}, {@code 10m}, {@code 0s};
   * years and weeks only when they divide exactly. Durations that are not whole milliseconds (which
   * Prometheus cannot hold) or negative fall back to {@link #formatGo} so nothing is lost.
   */
  public static String formatPrometheus(Duration d) {
    long n = toNanos(d);
    if (n < 0 || n % MS != 0) return formatGo(d);
    if (n == 0) return "0s";
    StringBuilder sb = new StringBuilder();
    long rest = n;
    rest = unit(sb, rest, Y, "y", true);
    rest = unit(sb, rest, W, "w", true);
    rest = unit(sb, rest, D, "d", false);
    rest = unit(sb, rest, H, "h", false);
    rest = unit(sb, rest, M, "m", false);
    rest = unit(sb, rest, S, "s", false);
    unit(sb, rest, MS, "ms", false);
    return sb.toString();
  }

  private static long unit(StringBuilder sb, long rest, long size, String name, boolean onlyIfExact) {
    if (onlyIfExact && rest % size != 0) return rest;
    long v = rest / size;
    if (v > 0) sb.append(v).append(name);
    return rest - v * size;
  }

  /** {@code value/unit} with the fraction's trailing zeros removed: 1500000/1000000 gives "1.5". */
  private static String fraction(long value, long unit) {
    long whole = value / unit;
    long frac = value % unit;
    if (frac == 0) return Long.toString(whole);
    String digits = Long.toString(unit + frac).substring(1); // zero-padded to the unit's width
    int end = digits.length();
    while (digits.charAt(end - 1) == '0') end--;
    return whole + "." + digits.substring(0, end);
  }

  private static long toNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("duration out of range: " + d, e);
    }
  }

  private static IllegalArgumentException bad(String text) {
    return new IllegalArgumentException("expected a duration like 30s, 1h30m or 7d, got '" + text + "'");
  }
}
