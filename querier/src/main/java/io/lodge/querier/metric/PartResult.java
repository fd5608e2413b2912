package io.lodge.querier.metric;

import io.lodge.ingester.model.LabelSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What one part of a range query produced: the points of every series at the part's steps, in step
 * order, and, when it stopped early, the exception it stopped with (the series seen until then are
 * kept, since the series limit is decided on them before that exception is reported).
 */
final class PartResult {
  /** The (time, value) points of one series, in step order; grows by doubling. */
  static final class Points {
    private long[] timesMs = new long[4];
    private double[] values = new double[4];
    private int size;

    void add(long tMs, double v) {
      if (size == timesMs.length) grow(size + 1);
      timesMs[size] = tMs;
      values[size++] = v;
    }

    /** Appends all of {@code later}'s points (a later part's points of the same series). */
    void addAll(Points later) {
      if (size + later.size > timesMs.length) grow(size + later.size);
      System.arraycopy(later.timesMs, 0, timesMs, size, later.size);
      System.arraycopy(later.values, 0, values, size, later.size);
      size += later.size;
    }

    private void grow(int min) {
      int n = Math.max(min, timesMs.length * 2);
      timesMs = Arrays.copyOf(timesMs, n);
      values = Arrays.copyOf(values, n);
    }

    MetricResult.Series toSeries(LabelSet labels) {
      return new MetricResult.Series(labels, Arrays.copyOf(timesMs, size), Arrays.copyOf(values, size));
    }
  }

  final Map<LabelSet, Points> series = new HashMap<>();
  final PartControl control;
  RuntimeException failure;

  PartResult(PartControl control) {
    this.control = control;
  }

  void add(LabelSet labels, long tMs, double value) {
    series.computeIfAbsent(labels, x -> new Points()).add(tMs, value);
  }
}
