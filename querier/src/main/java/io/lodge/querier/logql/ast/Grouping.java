package io.lodge.querier.logql.ast;

import java.util.List;

/** {@code by (a,b)} or {@code without (a)}; {@code by ()} is kept as an empty list. */
public record Grouping(boolean without, List<String> labels) {
  public Grouping {
    labels = List.copyOf(labels);
  }

  @Override
  public String toString() {
    return (without ? "without (" : "by (") + Formats.joinLabels(labels) + ")";
  }
}
