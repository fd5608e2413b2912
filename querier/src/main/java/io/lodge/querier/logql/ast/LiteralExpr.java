package io.lodge.querier.logql.ast;

/** A number literal (after sign and parse-time folding): a scalar. */
public record LiteralExpr(double value) implements SampleExpr {
  public LiteralExpr {
    // -0 would print as "-0", which LogQL's lexer reads as a zero duration: keep one zero.
    value = value + 0.0;
  }

  @Override
  public String toString() {
    return Formats.goSprint(value);
  }
}
