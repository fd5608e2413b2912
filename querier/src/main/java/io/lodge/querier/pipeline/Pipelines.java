package io.lodge.querier.pipeline;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.querier.logql.ast.Stage;
import java.util.ArrayList;
import java.util.List;

/** Compiles the stages of a parsed log query into a {@link Pipeline}. */
public final class Pipelines {
  private Pipelines() {}

  /**
   * The pipeline that passes every entry unchanged (stream labels plus metadata; metadata keys equal to
   * a stream label name read as {@code <name>_extracted}, LOKI-COMPAT 3.10).
   */
  public static Pipeline noop() {
    return new Pipeline() {
      @Override
      public StreamPipeline forStream(LabelSet streamLabels) {
        return (ts, line, metadata) -> new PipelineResult(line, streamLabels, renamed(streamLabels, metadata),
            List.<Label>of());
      }

      @Override
      public boolean isNoop() {
        return true;
      }
    };
  }

  private static List<Label> renamed(LabelSet stream, List<Label> metadata) {
    boolean clash = false;
    for (Label l : metadata) clash |= stream.has(l.name());
    if (!clash) return metadata;
    List<Label> out = new ArrayList<>(metadata.size());
    for (Label l : metadata) {
      out.add(stream.has(l.name()) ? new Label(l.name() + LabelsBuilder.DUPLICATE_SUFFIX, l.value()) : l);
    }
    out.sort(null);
    return out;
  }

  /**
   * Builds the pipeline for {@code stages}; throws {@code io.lodge.querier.logql.ParseException} (400)
   * for stages Loki refuses when it builds a pipeline.
   */
  public static Pipeline compile(List<Stage> stages) {
    if (stages.isEmpty()) return noop();
    return new CompiledPipeline(StageCompiler.compile(stages));
  }
}
