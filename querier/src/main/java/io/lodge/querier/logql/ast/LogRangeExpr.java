package io.lodge.querier.logql.ast;

/**
 * A log query over a time range: {@code {..} | pipeline | unwrap x [5m] offset 1h}. All the written
 * forms of §3.2 (range before or after the pipeline, parentheses) normalise to this one.
 * {@code unwrap} is null when absent; {@code offsetNanos} is 0 when absent.
 */
public record LogRangeExpr(LogQuery log, long rangeNanos, long offsetNanos, UnwrapExpr unwrap) {
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(log.toString());
    if (unwrap != null) sb.append(' ').append(unwrap);
    sb.append('[').append(Formats.promDuration(rangeNanos)).append(']');
    if (offsetNanos != 0) {
      // Loki prints offsets with Go's Duration.String(); Prometheus notation would be unreadable
      // negated ("-30d" is no duration to the lexer) and is only millisecond-precise.
      sb.append(" offset ").append(Formats.goDuration(offsetNanos));
    }
    return sb.toString();
  }
}
