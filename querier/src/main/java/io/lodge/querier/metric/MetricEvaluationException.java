package io.lodge.querier.metric;

/**
 * A metric query that parsed but failed while evaluating, with the status Loki answers: 500 for an
 * ambiguous vector match ({@code multiple matches for labels: ...}, LOKI-COMPAT 3.13), 504 when the
 * query ran past {@code query_timeout} (LOKI-COMPAT 2.1), 499 when the evaluating thread was interrupted.
 */
public final class MetricEvaluationException extends RuntimeException {
  static final String TIMEOUT = "Request timed out, decrease the duration of the request or add more label "
      + "matchers (prefer exact match over regex match) to reduce the amount of data processed.";

  private final int status;

  public MetricEvaluationException(String message) {
    this(500, message);
  }

  MetricEvaluationException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  /** Loki's answer when the request's context was cancelled (the client went away). */
  static MetricEvaluationException cancelled() {
    return new MetricEvaluationException(499, "context canceled");
  }

  static MetricEvaluationException timeout() {
    return new MetricEvaluationException(504, TIMEOUT);
  }

  /** The HTTP status Loki answers with. */
  public int status() {
    return status;
  }
}
