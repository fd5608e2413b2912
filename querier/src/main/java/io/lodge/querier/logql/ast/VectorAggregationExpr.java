package io.lodge.querier.logql.ast;

/**
 * {@code sum by (x) (...)}, {@code topk(5, ...)}: aggregation across series (§3.12).
 * {@code param} is the k of topk/bottomk/approx_topk, else null; {@code grouping} null when absent.
 */
public record VectorAggregationExpr(VectorOp op, SampleExpr inner, Integer param, Grouping grouping)
    implements SampleExpr {
  /** The vector aggregation operators. */
  public enum VectorOp {
    SUM, AVG, MIN, MAX, COUNT, STDDEV, STDVAR, TOPK, BOTTOMK, SORT, SORT_DESC, APPROX_TOPK;

    /** The LogQL spelling, e.g. {@code sort_desc}. */
    public String function() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the operator takes the {@code k} parameter. */
    public boolean takesParam() {
      return this == TOPK || this == BOTTOMK || this == APPROX_TOPK;
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(op.function());
    if (grouping != null) sb.append(' ').append(grouping);
    sb.append('(');
    if (param != null) sb.append(param).append(',');
    return sb.append(inner).append(')').toString();
  }
}
