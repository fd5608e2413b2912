package io.lodge.querier.metric;

/**
 * A metric query that parsed but failed while evaluating with an error Loki answers with 500, such as
 * an ambiguous vector match ({@code multiple matches for labels: ...}, LOKI-COMPAT 3.13).
 */
public final class MetricEvaluationException extends RuntimeException {
  public MetricEvaluationException(String message) {
    super(message, null, false, false);
  }

  /** The HTTP status Loki answers with. */
  public int status() {
    return 500;
  }
}
