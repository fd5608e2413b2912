package io.lodge.querier.pipeline.label;

import io.lodge.ingester.index.LabelMatcher;
import io.lodge.querier.pipeline.LabelsBuilder;

/** {@code name="v"}, {@code !=}, {@code =~}, {@code !~}: a Prometheus matcher; an absent label is "". */
public record StringFilter(LabelMatcher matcher) implements LabelPredicate {
  @Override
  public boolean test(LabelsBuilder labels) {
    return matcher.matches(labels.get(matcher.name()));
  }
}
