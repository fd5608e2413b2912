package io.lodge.querier.logql.ast;

import io.lodge.ingester.index.LabelMatcher;

/** An item of {@code drop}/{@code keep}: a bare label name, or a matcher on it ({@code matcher} set). */
public record LabelSelectorItem(String name, LabelMatcher matcher) {
  public static LabelSelectorItem named(String name) {
    return new LabelSelectorItem(name, null);
  }

  public static LabelSelectorItem matching(LabelMatcher m) {
    return new LabelSelectorItem(m.name(), m);
  }

  @Override
  public String toString() {
    return matcher == null ? name : matcher.toString();
  }
}
