package io.lodge.querier.pipeline.format;

import io.lodge.querier.logql.ast.LabelSelectorItem;
import io.lodge.querier.pipeline.ErrorLabels;
import io.lodge.querier.pipeline.LabelsBuilder;
import io.lodge.querier.pipeline.StageProcessor;
import java.util.List;

/**
 * {@code | keep a, b="v"} (LOKI-COMPAT 3.8): removes every label (stream labels included) not listed;
 * a matcher item keeps its label only when the value matches. The error labels always stay.
 */
public final class KeepLabels implements StageProcessor {
  private final List<LabelSelectorItem> items;

  public KeepLabels(List<LabelSelectorItem> items) {
    this.items = List.copyOf(items);
  }

  @Override
  public byte[] process(long timestampNanos, byte[] line, LabelsBuilder labels) {
    for (String name : labels.names()) {
      if (ErrorLabels.isErrorLabel(name)) continue;
      if (!kept(name, labels.get(name))) labels.delete(name);
    }
    return line;
  }

  private boolean kept(String name, String value) {
    for (LabelSelectorItem item : items) {
      if (!item.name().equals(name)) continue;
      if (item.matcher() == null || item.matcher().matches(value)) return true;
    }
    return false;
  }
}
