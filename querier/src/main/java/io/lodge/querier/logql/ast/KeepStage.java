package io.lodge.querier.logql.ast;

import java.util.List;
import java.util.stream.Collectors;

/** {@code | keep a, b="v"}: keeps only the listed labels (§3.8). */
public record KeepStage(List<LabelSelectorItem> items) implements Stage {
  public KeepStage {
    items = List.copyOf(items);
  }

  @Override
  public String toString() {
    return items.stream().map(Object::toString).collect(Collectors.joining(",", "| keep ", ""));
  }
}
