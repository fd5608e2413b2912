package io.lodge.querier.logql.ast;

import io.lodge.ingester.model.GoQuote;

/** {@code name = ip("10.0.0.0/8")} or {@code !=}: the label holds an address inside the pattern. */
public record IpLabelFilter(String name, boolean negated, String pattern) implements LabelFilterExpr {
  @Override
  public String toString() {
    return name + (negated ? "!=" : "=") + "ip(" + GoQuote.quote(pattern) + ")";
  }
}
