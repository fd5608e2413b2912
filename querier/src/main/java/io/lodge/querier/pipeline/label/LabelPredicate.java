package io.lodge.querier.pipeline.label;

import io.lodge.querier.pipeline.LabelsBuilder;

/** A label filter (LOKI-COMPAT 3.6): true keeps the entry. May set {@code __error__} as a side effect. */
public interface LabelPredicate {
  boolean test(LabelsBuilder labels);
}
