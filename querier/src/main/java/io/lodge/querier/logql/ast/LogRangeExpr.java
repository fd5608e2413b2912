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
      // Prometheus notation is millisecond-precise and, negated, unreadable to Loki's lexer
      // ("-30d" is not a duration there); Go's notation covers the rest.
      sb.append(" offset ").append(offsetNanos > 0 && offsetNanos % 1_000_000 == 0
          ? Formats.promDuration(offsetNanos) : Formats.goDuration(offsetNanos));
    }
    return sb.toString();
  }
}
