package io.lodge.querier.pipeline.label;

import io.lodge.querier.pipeline.LabelsBuilder;
import io.lodge.querier.pipeline.StageProcessor;

/** {@code | <label filter>} as a pipeline stage. */
public record LabelFilterStage(LabelPredicate predicate) implements StageProcessor {
  @Override
  public byte[] process(long timestampNanos, byte[] line, LabelsBuilder labels) {
    return predicate.test(labels) ? line : null;
  }
}
