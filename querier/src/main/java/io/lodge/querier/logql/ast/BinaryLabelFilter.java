package io.lodge.querier.logql.ast;

/** Two label filters joined by AND ({@code and}, {@code ,}, juxtaposition) or by {@code or}. */
public record BinaryLabelFilter(LabelFilterExpr left, LabelFilterExpr right, boolean and)
    implements LabelFilterExpr {
  @Override
  public String toString() {
    return "( " + left + (and ? " , " : " or ") + right + " )";
  }
}
