package io.lodge.querier.pipeline.format;

import io.lodge.querier.logql.ast.LabelSelectorItem;
import io.lodge.querier.pipeline.LabelsBuilder;
import io.lodge.querier.pipeline.StageProcessor;
import java.util.List;

/**
 * {@code | drop a, b="v", c=~"re"} (LOKI-COMPAT 3.8): removes the named labels from every category
 * (error labels included); a matcher item removes its label only when the matcher accepts the value
 * (an absent label counts as "").
 */
public final class DropLabels implements StageProcessor {
  private final List<LabelSelectorItem> items;

  public DropLabels(List<LabelSelectorItem> items) {
    this.items = List.copyOf(items);
  }

  @Override
  public byte[] process(long timestampNanos, byte[] line, LabelsBuilder labels) {
    for (LabelSelectorItem item : items) {
      if (item.matcher() == null || item.matcher().matches(labels.get(item.name()))) labels.delete(item.name());
    }
    return line;
  }
}
