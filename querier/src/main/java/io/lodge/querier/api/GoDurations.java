package io.lodge.querier.api;

import io.lodge.querier.logql.ast.Formats;
import java.time.Duration;

/**
 * Durations printed the two ways Loki's messages print them (LOKI-COMPAT 2.17): Prometheus'
 * {@code model.Duration} (largest units first, {@code y}/{@code w} only when exact: {@code 30d1h}) and
 * Go's {@code time.Duration} ({@code 27777h46m40s}, {@code 1.5s}, {@code 250ms}). The printing itself
 * is LogQL's, in {@link Formats}.
 */
public final class GoDurations {
  private GoDurations() {}

  /** Prometheus {@code model.Duration.String()}: millisecond precision, {@code 0s} for zero. */
  public static String prometheus(Duration d) {
    return Formats.promDuration(d.toNanos());
  }

  /** Go's {@code time.Duration.String()}: {@code 1h0m0s}, {@code 2m3.5s}, {@code 1.5ms}, {@code 0s}. */
  public static String go(Duration d) {
    return Formats.goDuration(d.toNanos());
  }
}
