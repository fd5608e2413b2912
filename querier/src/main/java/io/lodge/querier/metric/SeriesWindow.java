package io.lodge.querier.metric;

import io.lodge.ingester.model.LabelSet;

/**
 * The samples of one series inside the current range window: a ring buffer of (timestamp, value) in
 * arrival (time) order. Samples enter at the back as the read advances and leave at the front as the
 * window slides, so every entry is read once per query whatever the overlap of the windows.
 */
final class SeriesWindow {
  final LabelSet labels;
  private long[] ts = new long[8];
  private double[] values = new double[8];
  private int head;
  private int size;
  // sum of the values inside, kept as they enter and leave: exact only for integral values (line
  // bytes), so only bytes_over_time/bytes_rate read it; the others recompute in window order as Loki
  private double integralSum;

  SeriesWindow(LabelSet labels) {
    this.labels = labels;
  }

  void add(long timestampNanos, double value) {
    if (size == ts.length) grow();
    int i = (head + size) & (ts.length - 1);
    ts[i] = timestampNanos;
    values[i] = value;
    size++;
    integralSum += value;
  }

  /** Appends every sample of {@code later} (a later slice of the same window of the same series). */
  void addAll(SeriesWindow later) {
    for (int i = 0; i < later.size; i++) add(later.timestamp(i), later.value(i));
  }

  /** Drops samples with a timestamp {@code <= boundNanos} (the window is left-open). */
  void evictUpTo(long boundNanos) {
    while (size > 0 && ts[head] <= boundNanos) {
      integralSum -= values[head];
      head = (head + 1) & (ts.length - 1);
      size--;
    }
  }

  /** The sum of the values, exact when every value is an integer (and the sum below 2^53). */
  double integralSum() {
    return integralSum;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  long timestamp(int i) {
    return ts[(head + i) & (ts.length - 1)];
  }

  double value(int i) {
    return values[(head + i) & (ts.length - 1)];
  }

  private void grow() {
    long[] nts = new long[ts.length * 2];
    double[] nv = new double[values.length * 2];
    for (int i = 0; i < size; i++) {
      nts[i] = timestamp(i);
      nv[i] = value(i);
    }
    ts = nts;
    values = nv;
    head = 0;
  }
}
