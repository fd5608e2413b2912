package io.lodge.querier.logql.ast;

/** {@code | <label filter>}: a stage that keeps lines whose labels pass the filter (§3.6). */
public record LabelFilterStage(LabelFilterExpr filter) implements Stage {
  @Override
  public String toString() {
    return "| " + filter;
  }
}
