package io.lodge.querier.pipeline.filter;

import java.util.List;

/** {@code |= "a" or "b"}: true when any alternative matches. */
public record AnyOfFilter(List<LineFilter> alternatives) implements LineFilter {
  @Override
  public boolean matches(byte[] line) {
    for (LineFilter f : alternatives) if (f.matches(line)) return true;
    return false;
  }

  @Override
  public int cost() {
    int c = 0;
    for (LineFilter f : alternatives) c = Math.max(c, f.cost());
    return c;
  }
}
