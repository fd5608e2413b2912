package io.lodge.querier.logql.ast;

/**
 * {@code rate(...)}, {@code quantile_over_time(0.9, ...) by (x)}: a function of one log range
 * (§3.11). {@code param} is null unless the operation takes one; {@code grouping} null when absent.
 */
public record RangeAggregationExpr(RangeOp op, LogRangeExpr range, Double param, Grouping grouping)
    implements SampleExpr {
  /** The range-vector functions. */
  public enum RangeOp {
    COUNT_OVER_TIME, RATE, RATE_COUNTER, BYTES_OVER_TIME, BYTES_RATE, ABSENT_OVER_TIME,
    SUM_OVER_TIME, AVG_OVER_TIME, MIN_OVER_TIME, MAX_OVER_TIME, STDDEV_OVER_TIME, STDVAR_OVER_TIME,
    QUANTILE_OVER_TIME, FIRST_OVER_TIME, LAST_OVER_TIME;

    /** The LogQL spelling, e.g. {@code count_over_time}. */
    public String function() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(op.function()).append('(');
    if (param != null) sb.append(Formats.goFloat(param)).append(',');
    sb.append(range).append(')');
    if (grouping != null) sb.append(' ').append(grouping);
    return sb.toString();
  }
}
