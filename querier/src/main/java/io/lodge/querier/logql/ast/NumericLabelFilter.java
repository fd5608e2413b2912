package io.lodge.querier.logql.ast;

/** {@code name > 1.5}: the label parsed as a float64 and compared. */
public record NumericLabelFilter(String name, ComparisonOp op, double value)
    implements LabelFilterExpr {
  public NumericLabelFilter {
    // -0 would print as "-0", which LogQL's lexer reads as a zero duration: keep one zero.
    value = value + 0.0;
  }

  @Override
  public String toString() {
    return name + op.text() + Formats.goFloat(value);
  }
}
