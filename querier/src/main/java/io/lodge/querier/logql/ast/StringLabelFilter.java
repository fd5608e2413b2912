package io.lodge.querier.logql.ast;

import io.lodge.ingester.index.LabelMatcher;

/** {@code name="v"}, {@code !=}, {@code =~}, {@code !~}: a Prometheus matcher on a label. */
public record StringLabelFilter(LabelMatcher matcher) implements LabelFilterExpr {
  @Override
  public String toString() {
    return matcher.toString();
  }
}
