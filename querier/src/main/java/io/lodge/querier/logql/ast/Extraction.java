package io.lodge.querier.logql.ast;

import io.lodge.ingester.model.GoQuote;

/**
 * One parameter of {@code json}/{@code logfmt}: {@code label="expression"}, or a bare {@code label}
 * ({@code expression} null) meaning the expression is the label name itself.
 */
public record Extraction(String label, String expression) {
  /** The expression to evaluate: the explicit one, else the label name. */
  public String effectiveExpression() {
    return expression == null ? label : expression;
  }

  @Override
  public String toString() {
    return expression == null ? label : label + "=" + GoQuote.quote(expression);
  }
}
