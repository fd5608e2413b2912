package io.lodge.querier.api;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Durations printed the two ways Loki's messages print them (LOKI-COMPAT 2.17): Prometheus'
 * {@code model.Duration} (largest units first, {@code y}/{@code w} only when exact: {@code 30d1h}) and
 * Go's {@code time.Duration} ({@code 27777h46m40s}, {@code 1.5s}, {@code 250ms}).
 */
public final class GoDurations {
  private static final long MS_PER_DAY = 86_400_000L;

  private GoDurations() {}

  /** Prometheus {@code model.Duration.String()}: millisecond precision, {@code 0s} for zero. */
  public static String prometheus(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) return "0s";
    StringBuilder sb = new StringBuilder();
    if (ms < 0) {
      sb.append('-');
      ms = -ms;
    }
    ms = unit(sb, ms, 365 * MS_PER_DAY, "y", true);
    ms = unit(sb, ms, 7 * MS_PER_DAY, "w", true);
    ms = unit(sb, ms, MS_PER_DAY, "d", false);
    ms = unit(sb, ms, 3_600_000L, "h", false);
    ms = unit(sb, ms, 60_000L, "m", false);
    ms = unit(sb, ms, 1000L, "s", false);
    unit(sb, ms, 1L, "ms", false);
    return sb.toString();
  }

  private static long unit(StringBuilder sb, long ms, long mult, String name, boolean onlyExact) {
    // years and weeks only when nothing is left over: 90d reads better than 12w6d
    if (onlyExact && ms % mult != 0) return ms;
    long v = ms / mult;
    if (v > 0) {
      sb.append(v).append(name);
      ms -= v * mult;
    }
    return ms;
  }

  /** Go's {@code time.Duration.String()}: {@code 1h0m0s}, {@code 2m3.5s}, {@code 1.5ms}, {@code 0s}. */
  public static String go(Duration d) {
    long ns = d.toNanos();
    if (ns == 0) return "0s";
    String sign = ns < 0 ? "-" : "";
    long u = Math.abs(ns);
    if (u < 1_000_000_000L) {
      // below one second Go picks the largest unit that keeps an integer part
      if (u < 1_000L) return sign + u + "ns";
      if (u < 1_000_000L) return sign + fraction(u, 3) + "µs";
      return sign + fraction(u, 6) + "ms";
    }
    long hours = u / 3_600_000_000_000L;
    long rest = u % 3_600_000_000_000L;
    long minutes = rest / 60_000_000_000L;
    long secNanos = rest % 60_000_000_000L;
    StringBuilder sb = new StringBuilder(sign);
    if (hours > 0) sb.append(hours).append('h');
    if (hours > 0 || minutes > 0) sb.append(minutes).append('m');
    sb.append(fraction(secNanos, 9)).append('s');
    return sb.toString();
  }

  /** {@code value / 10^scale} without trailing zeros, as Go's fmtFrac prints it. */
  private static String fraction(long value, int scale) {
    BigDecimal b = BigDecimal.valueOf(value, scale).stripTrailingZeros();
    return b.scale() <= 0 ? b.toBigInteger().toString() : b.toPlainString();
  }
}
