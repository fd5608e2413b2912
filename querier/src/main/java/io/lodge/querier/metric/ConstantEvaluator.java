package io.lodge.querier.metric;

import io.lodge.ingester.model.LabelSet;
import java.util.ArrayList;
import java.util.List;

/** {@code vector(n)} (and a literal at the top of a range query): one series without labels, n at every step. */
final class ConstantEvaluator implements StepEvaluator {
  private final double value;

  ConstantEvaluator(double value) {
    this.value = value;
  }

  @Override
  public List<Sample> next() {
    List<Sample> out = new ArrayList<>(1);
    out.add(new Sample(LabelSet.EMPTY, value));
    return out;
  }
}
