package io.lodge.querier.logql.ast;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;

/** Go-compatible printing of the literals that appear in canonical LogQL. */
public final class Formats {
  private static final long SECOND = 1_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final String[] SI = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  private static final long[] PROM_UNITS_MS = {
    365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600L * 1000, 60L * 1000, 1000, 1
  };
  private static final String[] PROM_UNIT_NAMES = {"y", "w", "d", "h", "m", "s", "ms"};

  private Formats() {}

  /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest digits, never an exponent. */
  public static String goFloat(double v) {
    if (Double.isNaN(v)) return "NaN";
    if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
    if (v == 0) return (1 / v < 0) ? "-0" : "0";
    String s = new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    return s;
  }

  /**
   * Go's {@code fmt.Sprint(float64)} ({@code %g}, shortest digits): {@code 0.5}, {@code 123456},
   * {@code 1e+06}, {@code 1.5e-05}; the form Loki prints number literals in.
   */
  public static String goSprint(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) return goFloat(v);
    BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
    String digits = d.unscaledValue().toString();
    int exp = digits.length() - 1 - d.scale(); // decimal exponent of the first digit
    if (exp >= -4 && exp < 6) return goFloat(v);
    StringBuilder sb = new StringBuilder(v < 0 ? "-" : "").append(digits.charAt(0));
    if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
    sb.append('e').append(exp < 0 ? '-' : '+');
    int a = Math.abs(exp);
    if (a < 10) sb.append('0');
    return sb.append(a).toString();
  }

  /** Go's {@code time.Duration.String()}: {@code 250ms}, {@code 1.5s}, {@code 1h0m0s}. */
  public static String goDuration(long nanos) {
    if (nanos == 0) return "0s";
    String sign = nanos < 0 ? "-" : "";
    long u = Math.abs(nanos);
    if (u < SECOND) {
      if (u < 1000) return sign + u + "ns";
      if (u < MS) return sign + fraction(u, 1000) + "µs";
      return sign + fraction(u, MS) + "ms";
    }
    StringBuilder sb = new StringBuilder(sign);
    long h = u / (3600 * SECOND);
    long rem = u % (3600 * SECOND);
    long m = rem / (60 * SECOND);
    long s = rem % (60 * SECOND);
    if (h > 0) sb.append(h).append('h');
    if (h > 0 || m > 0) sb.append(m).append('m');
    return sb.append(fraction(s, SECOND)).append('s').toString();
  }

  private static String fraction(long v, long div) {
    long whole = v / div;
    long frac = v % div;
    if (frac == 0) return Long.toString(whole);
    String digits = Long.toString(div + frac).substring(1); // zero-padded to the divisor's width
    int end = digits.length();
    while (digits.charAt(end - 1) == '0') end--;
    return whole + "." + digits.substring(0, end);
  }

  /**
   * Prometheus {@code model.Duration.String()} (millisecond precision): {@code 5m}, {@code 1h30m},
   * {@code 1d}, {@code 10y}; y, w and d only when they divide the value exactly.
   */
  public static String promDuration(long nanos) {
    long ms = nanos / MS;
    if (ms == 0) return "0s";
    String sign = ms < 0 ? "-" : "";
    ms = Math.abs(ms);
    StringBuilder sb = new StringBuilder(sign);
    for (int i = 0; i < PROM_UNITS_MS.length; i++) {
      long mult = PROM_UNITS_MS[i];
      if (i < 2 && ms % mult != 0) continue; // years and weeks only when exact, as Prometheus prints
      long v = ms / mult;
      if (v > 0) {
        sb.append(v).append(PROM_UNIT_NAMES[i]);
        ms -= v * mult;
      }
    }
    return sb.toString();
  }

  /**
   * go-humanize's {@code Bytes} without spaces ({@code 10GB}, {@code 5kB}) when that text reads back
   * as the same value, otherwise the exact {@code <n>B} (humanize rounds: 2560 would print 2.6kB).
   */
  public static String bytes(long n) {
    if (n < 10) return n + "B";
    int e = (int) Math.floor(Math.log(n) / Math.log(1000));
    double val = Math.floor(n / Math.pow(1000, e) * 10 + 0.5) / 10;
    String num = val < 10 ? String.format(java.util.Locale.ROOT, "%.1f", val)
        : String.format(java.util.Locale.ROOT, "%.0f", val);
    double back = Double.parseDouble(num) * Math.pow(1000, e);
    if ((long) back == n) return num + SI[e];
    return n + "B";
  }

  static String joinParams(String head, List<?> params) {
    if (params.isEmpty()) return head;
    return params.stream().map(Object::toString).collect(Collectors.joining(",", head + " ", ""));
  }

  static String joinLabels(List<String> labels) {
    return String.join(",", labels);
  }
}
