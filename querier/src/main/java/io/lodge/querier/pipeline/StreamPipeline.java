package io.lodge.querier.pipeline;

import io.lodge.ingester.model.Label;
import java.util.List;

/** A pipeline bound to one stream. Not thread-safe: one per stream per query. */
public interface StreamPipeline {
  /**
   * Runs every stage on one entry. Returns null when a stage drops it; otherwise the (possibly
   * rewritten) line and the labels by category. The result is valid until the next call.
   */
  PipelineResult process(long timestampNanos, byte[] line, List<Label> structuredMetadata);
}
