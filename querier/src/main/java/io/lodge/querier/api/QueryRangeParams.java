package io.lodge.querier.api;

import io.lodge.ingester.read.Direction;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * Every {@code query_range} parameter validated in Loki's order, first failure wins (LOKI-COMPAT 2.3):
 * start/end/since, end before start, limit, direction, step, step sign, the 11,000-points cap, interval,
 * interval sign. Limits (max entries, query length) are not applied here: Loki checks them after
 * parsing the query, so callers apply {@link QueryLimits} then.
 */
public record QueryRangeParams(String query, TimeRange range, int limit, Direction direction, long stepNanos,
    long intervalNanos) {
  private static final long SECOND = 1_000_000_000L;
  private static final long MAX_POINTS = 11_000;

  /** Reads {@code query_range}'s parameters with its defaults (limit 100, backward). */
  public static QueryRangeParams fromParams(Function<String, String> params, long nowNanos) {
    TimeRange range = TimeRange.fromParams(params, nowNanos);
    if (range.endNanos() < range.startNanos()) {
      throw new BadQueryException("end timestamp must not be before or equal to start time");
    }
    int limit = parseLimit(params.apply("limit"), 100);
    Direction direction = parseDirection(params.apply("direction"));
    long step = parseStep(params.apply("step"), range);
    long interval = 0;
    String i = params.apply("interval");
    if (i != null && !i.isEmpty()) {
      interval = LokiTime.parseDurationParam(i, "interval").toNanos();
      if (interval < 0) throw new BadQueryException("interval must be >= 0");
    }
    String query = params.apply("query");
    return new QueryRangeParams(query == null ? "" : query, range, limit, direction, step, interval);
  }

  /** {@code limit}: an integer, default {@code dflt}; {@code <= 0} is refused. */
  public static int parseLimit(String l, int dflt) {
    if (l == null || l.isEmpty()) return dflt;
    int limit;
    try {
      limit = Integer.parseInt(l);
    } catch (NumberFormatException e) {
      throw new BadQueryException("strconv.Atoi: parsing " + LokiTime.goQuote(l) + ": invalid syntax");
    }
    if (limit <= 0) throw new BadQueryException("limit must be a positive value");
    return limit;
  }

  /** {@code direction}: forward or backward in any case, default backward. */
  public static Direction parseDirection(String d) {
    if (d == null || d.isEmpty()) return Direction.BACKWARD;
    return switch (d.toLowerCase(Locale.ROOT)) {
      case "forward" -> Direction.FORWARD;
      case "backward" -> Direction.BACKWARD;
      default -> throw new BadQueryException("invalid direction '" + d + "'");
    };
  }

  /**
   * {@code step}: default {@code max(floor((end-start)/250 s), 1) s}; must be positive and give at most
   * 11,000 points over the range.
   */
  public static long parseStep(String s, TimeRange range) {
    long step;
    if (s == null || s.isEmpty()) {
      step = defaultStepNanos(range);
    } else {
      step = LokiTime.parseDurationParam(s, "step").toNanos();
    }
    if (step <= 0) {
      throw new BadQueryException(
          "zero or negative query resolution step widths are not accepted. Try a positive integer");
    }
    if ((range.endNanos() - range.startNanos()) / step > MAX_POINTS) {
      throw new BadQueryException("exceeded maximum resolution of 11,000 points per time series. "
          + "Try increasing the value of the step parameter");
    }
    return step;
  }

  /** Loki's default step: whole seconds, about 250 points over the range, at least 1 s. */
  public static long defaultStepNanos(TimeRange range) {
    long seconds = (range.endNanos() - range.startNanos()) / 250 / SECOND;
    return Math.max(seconds, 1) * SECOND;
  }

  public Duration step() {
    return Duration.ofNanos(stepNanos);
  }
}
