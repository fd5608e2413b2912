package io.lodge.server.tail;

import io.lodge.querier.api.BadQueryException;
import io.lodge.querier.api.LokiTime;
import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ParseException;
import io.lodge.querier.logql.ast.Expr;
import io.lodge.querier.logql.ast.LogQuery;
import io.lodge.ingester.model.GoQuote;
import java.time.Duration;
import java.util.function.Function;

/**
 * The validated parameters of a tail request (LOKI-COMPAT 2.7), checked before the upgrade so that every
 * failure is a plain 400: {@code query} (a log query), {@code limit} (historic entries, default 100),
 * {@code start} (default now - 1h) and {@code delay_for} (whole seconds, at most 5).
 */
public record TailParams(LogQuery query, int limit, long startNanos, Duration delayFor) {
  /** Loki's {@code maxDelayForInTailing}. */
  public static final int MAX_DELAY_FOR_SECONDS = 5;
  public static final int DEFAULT_LIMIT = 100;
  public static final Duration DEFAULT_SINCE = Duration.ofHours(1);

  /**
   * Reads the parameters in Loki's order (query, limit, start, delay_for).
   *
   * @throws BadQueryException or {@link ParseException} (both 400) with Loki's message
   */
  public static TailParams fromParams(Function<String, String> params, long nowNanos) {
    String q = params.apply("query");
    Expr expr = LogqlParser.parse(q == null ? "" : q);
    if (!(expr instanceof LogQuery query)) {
      // Loki's ParseLogSelector refuses a metric query this way
      throw ParseException.bare("only log queries are supported for tailing");
    }
    int limit = DEFAULT_LIMIT;
    String l = params.apply("limit");
    if (l != null && !l.isEmpty()) {
      limit = atoi(l);
      if (limit <= 0) throw new BadQueryException("limit must be a positive value");
    }
    long start = LokiTime.parseTimestamp(params.apply("start"), nowNanos - DEFAULT_SINCE.toNanos(), "start");
    int delay = 0;
    String d = params.apply("delay_for");
    if (d != null && !d.isEmpty()) {
      delay = atoi(d);
      // Go stores it as uint32: a negative value wraps to a huge one and fails the same check
      if (delay < 0 || delay > MAX_DELAY_FOR_SECONDS) {
        throw new BadQueryException("delay_for can't be greater than " + MAX_DELAY_FOR_SECONDS);
      }
    }
    return new TailParams(query, limit, start, Duration.ofSeconds(delay));
  }

  private static int atoi(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      boolean digits = s.chars().allMatch(c -> c >= '0' && c <= '9') || s.matches("[+-]\\d+");
      String why = digits ? "value out of range" : "invalid syntax";
      throw new BadQueryException("strconv.Atoi: parsing " + GoQuote.quote(s) + ": " + why);
    }
  }
}
