package io.lodge.querier.logql.ast;

/** {@code name > 250ms}: the label parsed as a Go duration; {@code nanos} is the literal. */
public record DurationLabelFilter(String name, ComparisonOp op, long nanos)
    implements LabelFilterExpr {
  @Override
  public String toString() {
    return name + op.text() + Formats.goDuration(nanos);
  }
}
