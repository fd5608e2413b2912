package io.lodge.querier.api;

import java.util.function.Function;

/**
 * The {@code start}/{@code end}/{@code since} parameters resolved as Loki does (LOKI-COMPAT 2.1.1):
 * end defaults to now, start to end minus since (1h), an explicit start wins over since.
 */
public record TimeRange(long startNanos, long endNanos) {
  private static final long DEFAULT_SINCE_NANOS = 3_600_000_000_000L;

  /** Resolves the range from request parameters; {@code nowNanos} is the server's clock. */
  public static TimeRange fromParams(Function<String, String> params, long nowNanos) {
    long end = LokiTime.parseTimestamp(params.apply("end"), nowNanos, "end");
    long since = DEFAULT_SINCE_NANOS;
    String sinceParam = params.apply("since");
    if (sinceParam != null && !sinceParam.isEmpty()) {
      java.time.Duration d = LokiTime.parsePrometheusDuration(sinceParam);
      if (d == null) {
        throw new BadQueryException("could not parse 'since' parameter: not a valid duration string: "
            + LokiTime.goQuote(sinceParam));
      }
      since = d.toNanos();
    }
    long base = end > nowNanos ? nowNanos : end;
    long start = LokiTime.parseTimestamp(params.apply("start"), base - since, "start");
    return new TimeRange(start, end);
  }
}
