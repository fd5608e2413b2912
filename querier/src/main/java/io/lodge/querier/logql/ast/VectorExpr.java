package io.lodge.querier.logql.ast;

/** {@code vector(n)}: one series without labels, value n at every step. */
public record VectorExpr(double value) implements SampleExpr {
  @Override
  public String toString() {
    return "vector(" + Formats.goFloat(value) + ")";
  }
}
