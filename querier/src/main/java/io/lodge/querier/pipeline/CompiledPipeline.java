package io.lodge.querier.pipeline;

import io.lodge.ingester.model.LabelSet;
import java.util.List;

/** A pipeline of compiled stages; each stream gets its own {@link LabelsBuilder}. */
final class CompiledPipeline implements Pipeline {
  private final StageProcessor[] stages;

  CompiledPipeline(List<StageProcessor> stages) {
    this.stages = stages.toArray(new StageProcessor[0]);
  }

  @Override
  public StreamPipeline forStream(LabelSet streamLabels) {
    LabelsBuilder builder = new LabelsBuilder(streamLabels);
    return (ts, line, metadata) -> {
      builder.reset(metadata);
      byte[] l = line;
      for (StageProcessor s : stages) {
        l = s.process(ts, l, builder);
        if (l == null) return null;
      }
      return builder.result(l);
    };
  }

  @Override
  public boolean isNoop() {
    return false;
  }

  /** The stages in execution order (after line-filter reordering); for tests. */
  List<StageProcessor> stages() {
    return List.of(stages);
  }

}
