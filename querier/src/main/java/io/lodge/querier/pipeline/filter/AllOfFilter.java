package io.lodge.querier.pipeline.filter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A run of consecutive line filters (they AND). Line filters have no side effects, so the run is
 * tested cheapest first: literal searches before case-insensitive ones before regexes.
 */
public final class AllOfFilter implements LineFilter {
  private final LineFilter[] filters;

  public AllOfFilter(List<LineFilter> filters) {
    List<LineFilter> sorted = new ArrayList<>(filters);
    sorted.sort(Comparator.comparingInt(LineFilter::cost));
    this.filters = sorted.toArray(new LineFilter[0]);
  }

  @Override
  public boolean matches(byte[] line) {
    for (LineFilter f : filters) if (!f.matches(line)) return false;
    return true;
  }

  @Override
  public int cost() {
    int c = 0;
    for (LineFilter f : filters) c = Math.max(c, f.cost());
    return c;
  }
}
