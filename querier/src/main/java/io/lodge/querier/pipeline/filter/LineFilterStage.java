package io.lodge.querier.pipeline.filter;

import io.lodge.querier.pipeline.LabelsBuilder;
import io.lodge.querier.pipeline.StageProcessor;

/** A run of line filters as one pipeline stage: drops lines that fail. */
public record LineFilterStage(LineFilter filter) implements StageProcessor {
  @Override
  public byte[] process(long timestampNanos, byte[] line, LabelsBuilder labels) {
    return filter.matches(line) ? line : null;
  }
}
