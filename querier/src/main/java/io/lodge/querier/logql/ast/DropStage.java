package io.lodge.querier.logql.ast;

import java.util.List;
import java.util.stream.Collectors;

/** {@code | drop a, b="v"}: removes labels, conditionally for matcher items (§3.8). */
public record DropStage(List<LabelSelectorItem> items) implements Stage {
  public DropStage {
    items = List.copyOf(items);
  }

  @Override
  public String toString() {
    return items.stream().map(Object::toString).collect(Collectors.joining(",", "| drop ", ""));
  }
}
