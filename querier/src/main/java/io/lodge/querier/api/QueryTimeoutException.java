package io.lodge.querier.api;

/** A query ran past {@code query_timeout}: Loki answers 504 with {@link #MESSAGE} (LOKI-COMPAT 2.1). */
public final class QueryTimeoutException extends RuntimeException {
  /** Loki's exact body for a timed-out query. */
  public static final String MESSAGE = "Request timed out, decrease the duration of the request or add more label "
      + "matchers (prefer exact match over regex match) to reduce the amount of data processed.";

  public QueryTimeoutException() {
    super(MESSAGE, null, false, false);
  }

  /** The HTTP status Loki uses. */
  public int status() {
    return 504;
  }
}
