package io.lodge.querier.logql.ast;

import io.lodge.ingester.model.GoQuote;

/**
 * One parameter of {@code json}/{@code logfmt}: {@code label="expression"}. A bare {@code label}
 * in the query is read as {@code label="label"}, as Loki does.
 */
public record Extraction(String label, String expression) {
  @Override
  public String toString() {
    return label + "=" + GoQuote.quote(expression);
  }
}
