package io.lodge.querier.pipeline.label;

import io.lodge.querier.pipeline.LabelsBuilder;

/** {@code a and b} (both sides always run, for their error side effects) or {@code a or b} (short-circuits). */
public record BinaryFilter(LabelPredicate left, LabelPredicate right, boolean and) implements LabelPredicate {
  @Override
  public boolean test(LabelsBuilder labels) {
    boolean l = left.test(labels);
    if (!and && l) return true;
    boolean r = right.test(labels);
    return and ? l && r : r;
  }
}
