package io.lodge.querier.logql.ast;

/** The comparison of a numeric, duration or bytes label filter; {@code =} and {@code ==} are one. */
public enum ComparisonOp {
  EQ("=="), NEQ("!="), GT(">"), GTE(">="), LT("<"), LTE("<=");

  private final String text;

  ComparisonOp(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  /** Applies the comparison to two doubles. */
  public boolean test(double a, double b) {
    return switch (this) {
      case EQ -> a == b;
      case NEQ -> a != b;
      case GT -> a > b;
      case GTE -> a >= b;
      case LT -> a < b;
      case LTE -> a <= b;
    };
  }
}
