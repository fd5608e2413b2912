package io.lodge.querier.logql.ast;

/** Binary operators with their precedence (higher binds tighter) and associativity (§3.2). */
public enum BinaryOp {
  OR("or", 1), AND("and", 2), UNLESS("unless", 2),
  EQ("==", 3), NEQ("!=", 3), GT(">", 3), GTE(">=", 3), LT("<", 3), LTE("<=", 3),
  ADD("+", 4), SUB("-", 4), MUL("*", 5), DIV("/", 5), MOD("%", 5), POW("^", 6);

  private final String text;
  private final int precedence;

  BinaryOp(String text, int precedence) {
    this.text = text;
    this.precedence = precedence;
  }

  public String text() {
    return text;
  }

  public int precedence() {
    return precedence;
  }

  public boolean rightAssociative() {
    return this == POW;
  }

  public boolean isComparison() {
    return precedence == 3;
  }

  /** {@code and}, {@code or}, {@code unless}: vector-vector only. */
  public boolean isSetOp() {
    return precedence <= 2;
  }

  /** Applies the operator to two scalars as Loki does (comparisons give 1/0, x/0 and x%0 give NaN). */
  public double apply(double a, double b) {
    return switch (this) {
      case ADD -> a + b;
      case SUB -> a - b;
      case MUL -> a * b;
      case DIV -> b == 0 ? Double.NaN : a / b;
      case MOD -> b == 0 ? Double.NaN : a % b;
      case POW -> Math.pow(a, b);
      case EQ -> a == b ? 1 : 0;
      case NEQ -> a != b ? 1 : 0;
      case GT -> a > b ? 1 : 0;
      case GTE -> a >= b ? 1 : 0;
      case LT -> a < b ? 1 : 0;
      case LTE -> a <= b ? 1 : 0;
      case OR, AND, UNLESS -> throw new IllegalStateException("set operator on scalars: " + this);
    };
  }
}
