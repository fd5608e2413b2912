package io.lodge.querier.metric;

import io.lodge.ingester.model.LabelSet;
import java.util.List;

/** The result of a metric query (LOKI-COMPAT 2.4.3): a matrix, an instant vector or a scalar. Times are Unix ms. */
public sealed interface MetricResult {
  /** A range query's result: series sorted by labels, points ascending, absent steps left out. */
  record Matrix(List<Series> series) implements MetricResult {}

  /** An instant query's vector, all stamped {@code timeMs}. */
  record Vector(long timeMs, List<Sample> samples) implements MetricResult {}

  /** An instant query of a pure literal. */
  record Scalar(long timeMs, double value) implements MetricResult {}

  /** One series of a matrix: {@code timesMs[i]} carries {@code values[i]}. */
  record Series(LabelSet labels, long[] timesMs, double[] values) {
    public int size() {
      return timesMs.length;
    }
  }
}
