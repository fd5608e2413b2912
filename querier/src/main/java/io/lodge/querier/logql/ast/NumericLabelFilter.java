package io.lodge.querier.logql.ast;

/** {@code name > 1.5}: the label parsed as a float64 and compared. */
public record NumericLabelFilter(String name, ComparisonOp op, double value)
    implements LabelFilterExpr {
  @Override
  public String toString() {
    return name + op.text() + Formats.goFloat(value);
  }
}
