package io.lodge.querier.pipeline;

import io.lodge.ingester.model.LabelSet;

/**
 * A compiled LogQL log pipeline (the stages after a stream selector, LOKI-COMPAT 3.4 to 3.10), shared by
 * every stream a query reads. Thread-safe; per-stream state lives in the {@link StreamPipeline}.
 */
public interface Pipeline {
  /** The pipeline for one stream; callers keep one per stream and reuse it for all its entries. */
  StreamPipeline forStream(LabelSet streamLabels);

  /** True when the pipeline has no stages: entries pass unchanged. */
  boolean isNoop();
}
