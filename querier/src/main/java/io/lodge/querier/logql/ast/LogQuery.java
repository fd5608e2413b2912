package io.lodge.querier.logql.ast;

import java.util.List;

/** A stream selector followed by zero or more pipeline stages, in the order written. */
public record LogQuery(StreamSelector selector, List<Stage> stages) implements LogExpr {
  public LogQuery {
    stages = List.copyOf(stages);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(selector.toString());
    for (Stage s : stages) sb.append(' ').append(s);
    return sb.toString();
  }
}
