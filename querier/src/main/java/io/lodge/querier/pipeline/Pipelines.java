package io.lodge.querier.pipeline;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.querier.logql.ast.Stage;
import java.util.List;

/** Compiles the stages of a parsed log query into a {@link Pipeline}. */
public final class Pipelines {
  private Pipelines() {}

  /** The pipeline that passes every entry unchanged (stream labels plus metadata). */
  public static Pipeline noop() {
    return new Pipeline() {
      @Override
      public StreamPipeline forStream(LabelSet streamLabels) {
        return (ts, line, metadata) -> new PipelineResult(line, streamLabels, metadata, List.<Label>of());
      }

      @Override
      public boolean isNoop() {
        return true;
      }
    };
  }

  /**
   * Builds the pipeline for {@code stages}; throws {@code io.lodge.querier.logql.ParseException} (400)
   * for stages Loki refuses when it builds a pipeline.
   */
  public static Pipeline compile(List<Stage> stages) {
    if (stages.isEmpty()) return noop();
    throw new UnsupportedOperationException("log pipeline stages are not evaluated yet");
  }
}
