package io.lodge.querier.metric;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.querier.logql.ast.Grouping;
import java.util.ArrayList;
import java.util.List;

/** Applying {@code by (...)}/{@code without (...)} to a label set, and Prometheus' label-set order. */
final class Groupings {
  private Groupings() {}

  /** The labels a grouping keeps; a null grouping keeps nothing (an aggregation without clause). */
  static LabelSet group(LabelSet labels, Grouping g) {
    if (g == null) return LabelSet.EMPTY;
    List<Label> out = new ArrayList<>(Math.min(labels.size(), g.without() ? labels.size() : g.labels().size()));
    for (Label l : labels.labels()) {
      if (g.labels().contains(l.name()) != g.without()) out.add(l);
    }
    return out.size() == labels.size() ? labels : LabelSet.of(out);
  }

  /** Prometheus' {@code labels.Compare}: label by label (name, then value), a prefix sorts first. */
  static int compare(LabelSet a, LabelSet b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      Label x = a.get(i);
      Label y = b.get(i);
      int c = x.name().compareTo(y.name());
      if (c != 0) return c;
      c = x.value().compareTo(y.value());
      if (c != 0) return c;
    }
    return Integer.compare(a.size(), b.size());
  }
}
