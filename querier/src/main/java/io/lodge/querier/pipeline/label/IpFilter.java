package io.lodge.querier.pipeline.label;

import io.lodge.querier.pipeline.LabelsBuilder;
import io.lodge.querier.pipeline.filter.IpPattern;

/**
 * {@code name = ip("...")} / {@code !=}: the label holds an address inside the pattern. An absent label
 * drops the entry; an entry already carrying {@code __error__} passes.
 */
public record IpFilter(String name, boolean negated, IpPattern pattern) implements LabelPredicate {
  @Override
  public boolean test(LabelsBuilder labels) {
    if (labels.hasError()) return true;
    String v = labels.get(name);
    if (v == null) return false;
    return pattern.containsAddressIn(v) != negated;
  }
}
