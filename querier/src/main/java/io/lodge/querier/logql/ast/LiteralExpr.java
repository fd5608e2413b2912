package io.lodge.querier.logql.ast;

/** A number literal (after sign and parse-time folding): a scalar. */
public record LiteralExpr(double value) implements SampleExpr {
  @Override
  public String toString() {
    return Formats.goFloat(value);
  }
}
