package io.lodge.querier.api;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.read.Direction;
import java.util.Locale;
import java.util.function.Function;

/**
 * The parameters of a log range query, validated in Loki's order with Loki's messages (LOKI-COMPAT 2.3):
 * time range, end before start, limit, direction.
 */
public record LogQueryParams(String query, TimeRange range, int limit, Direction direction) {
  /** Reads and validates {@code query_range} parameters. */
  public static LogQueryParams fromParams(Function<String, String> params, LimitsConfig limits, long nowNanos) {
    TimeRange range = TimeRange.fromParams(params, nowNanos);
    if (range.endNanos() < range.startNanos()) {
      throw new BadQueryException("end timestamp must not be before or equal to start time");
    }
    int limit = 100;
    String l = params.apply("limit");
    if (l != null && !l.isEmpty()) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        throw new BadQueryException("strconv.Atoi: parsing " + LokiTime.goQuote(l) + ": invalid syntax");
      }
      if (limit <= 0) throw new BadQueryException("limit must be a positive value");
    }
    Direction direction = Direction.BACKWARD;
    String d = params.apply("direction");
    if (d != null && !d.isEmpty()) {
      direction = switch (d.toLowerCase(Locale.ROOT)) {
        case "forward" -> Direction.FORWARD;
        case "backward" -> Direction.BACKWARD;
        default -> throw new BadQueryException("invalid direction '" + d + "'");
      };
    }
    int max = limits.maxEntriesLimitPerQuery();
    if (max > 0 && limit > max) {
      throw new BadQueryException("max entries limit per query exceeded, limit > max_entries_limit_per_query ("
          + limit + " > " + max + ")");
    }
    String query = params.apply("query");
    if (query == null) query = "";
    return new LogQueryParams(query, range, limit, direction);
  }
}
