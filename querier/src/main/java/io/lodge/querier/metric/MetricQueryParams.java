package io.lodge.querier.metric;

import io.lodge.config.LimitsConfig;
import io.lodge.querier.api.BadQueryException;
import io.lodge.querier.api.LogQueryParams;
import io.lodge.querier.api.LokiTime;
import io.lodge.querier.api.TimeRange;
import io.lodge.querier.logql.ast.Formats;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * The parameters of a metric query, validated in Loki's order with Loki's messages (LOKI-COMPAT 2.2,
 * 2.3, 2.17): for {@code query_range} start/end/since, end before start, limit, direction, step (default
 * {@code max(floor((end-start)/250s), 1s)}), step sign, the 11,000-point bound, interval, query length;
 * for {@code query} the time, limit and direction. {@link #grid()} is where the query is evaluated.
 */
public record MetricQueryParams(String query, StepGrid grid, boolean instant) {
  private static final long MAX_POINTS = 11_000;

  /** Reads and validates {@code /loki/api/v1/query_range} parameters. */
  public static MetricQueryParams range(Function<String, String> params, LimitsConfig limits, long nowNanos) {
    LogQueryParams base = LogQueryParams.fromParams(params, limits, nowNanos);
    TimeRange range = base.range();
    long stepNanos = step(params.apply("step"), range);
    if (stepNanos <= 0) {
      throw new BadQueryException(
          "zero or negative query resolution step widths are not accepted. Try a positive integer");
    }
    if ((range.endNanos() - range.startNanos()) / stepNanos > MAX_POINTS) {
      throw new BadQueryException("exceeded maximum resolution of 11,000 points per time series. "
          + "Try increasing the value of the step parameter");
    }
    String interval = params.apply("interval");
    if (interval != null && !interval.isEmpty()
        && LokiTime.parseDurationParam(interval, "interval").isNegative()) {
      throw new BadQueryException("interval must be >= 0");
    }
    Duration maxLength = limits.maxQueryLength();
    long length = range.endNanos() - range.startNanos();
    if (maxLength != null && !maxLength.isZero() && length > maxLength.toNanos()) {
      throw new BadQueryException("the query time range exceeds the limit (query length: "
          + Formats.goDuration(length / 1_000_000_000L * 1_000_000_000L) + ", limit: " + Formats.promDuration(maxLength.toNanos()) + ")");
    }
    return new MetricQueryParams(base.query(),
        StepGrid.aligned(range.startNanos(), range.endNanos(), stepNanos), false);
  }

  /** Reads and validates {@code /loki/api/v1/query} parameters (the query itself is checked later). */
  public static MetricQueryParams instant(Function<String, String> params, long nowNanos) {
    long time = LokiTime.parseTimestamp(params.apply("time"), nowNanos, null);
    String l = params.apply("limit");
    if (l != null && !l.isEmpty()) {
      int limit;
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        throw new BadQueryException("strconv.Atoi: parsing " + io.lodge.ingester.model.GoQuote.quote(l)
            + ": invalid syntax");
      }
      if (limit <= 0) throw new BadQueryException("limit must be a positive value");
    }
    String d = params.apply("direction");
    if (d != null && !d.isEmpty()) {
      String lower = d.toLowerCase(Locale.ROOT);
      if (!lower.equals("forward") && !lower.equals("backward")) {
        throw new BadQueryException("invalid direction '" + d + "'");
      }
    }
    String query = params.apply("query");
    return new MetricQueryParams(query == null ? "" : query, StepGrid.instant(time), true);
  }

  /** The step in ns: the parameter, or Loki's default for the range. */
  static long step(String value, TimeRange range) {
    if (value == null || value.isEmpty()) {
      double seconds = Math.floor((range.endNanos() - range.startNanos()) / 1e9 / 250);
      return (long) Math.max(seconds, 1) * 1_000_000_000L;
    }
    return LokiTime.parseDurationParam(value, "step").toNanos();
  }


}
