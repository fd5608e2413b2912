package io.lodge.querier.logql.ast;

import io.lodge.ingester.index.LabelMatcher;
import java.util.List;
import java.util.stream.Collectors;

/** {@code {name="v", ...}}: the label matchers that pick streams (LOKI-COMPAT §3.3). */
public record StreamSelector(List<LabelMatcher> matchers) {
  public StreamSelector {
    matchers = List.copyOf(matchers);
  }

  @Override
  public String toString() {
    return matchers.stream().map(LabelMatcher::toString).collect(Collectors.joining(", ", "{", "}"));
  }
}
