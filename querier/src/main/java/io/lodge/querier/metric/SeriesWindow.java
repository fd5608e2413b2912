package io.lodge.querier.metric;

import io.lodge.ingester.model.LabelSet;

/**
 * The samples of one series inside the current range window: a ring buffer of (timestamp, value) in
 * arrival (time) order. Samples enter at the back as the read advances and leave at the front as the
 * window slides, so every entry is read once per query whatever the overlap of the windows.
 *
 * <p>A {@linkplain #counting counting} window keeps only the number of samples, their integral sum and
 * their time span: enough for the functions of the count and the bytes alone, when windows do not
 * overlap (an instant query, or a step of at least the range), so that a window over a billion entries
 * takes no more memory than one over ten.
 */
final class SeriesWindow {
  final LabelSet labels;
  private final boolean counting;
  private long[] ts;
  private double[] values;
  private int head;
  private int size;
  private long counted; // a counting window's number of samples: a long, as nothing else bounds it
  private long oldest; // a counting window's time span
  private long newest;
  // sum of the values inside, kept as they enter and leave: exact only for integral values (line
  // bytes), so only bytes_over_time/bytes_rate read it; the others recompute in window order as Loki
  private double integralSum;

  SeriesWindow(LabelSet labels) {
    this(labels, false);
  }

  /** {@code counting}: keep the count, the integral sum and the time span only. */
  SeriesWindow(LabelSet labels, boolean counting) {
    this.labels = labels;
    this.counting = counting;
    if (!counting) {
      ts = new long[8];
      values = new double[8];
    }
  }

  static SeriesWindow counting(LabelSet labels) {
    return new SeriesWindow(labels, true);
  }

  void add(long timestampNanos, double value) {
    if (counting) {
      if (counted++ == 0) oldest = timestampNanos;
      newest = timestampNanos;
      integralSum += value;
      return;
    }
    if (size == ts.length) grow();
    int i = (head + size) & (ts.length - 1);
    ts[i] = timestampNanos;
    values[i] = value;
    size++;
    integralSum += value;
  }

  /** Appends every sample of {@code later} (a later slice of the same window of the same series). */
  void addAll(SeriesWindow later) {
    if (counting && later.counting) {
      if (later.counted == 0) return;
      if (counted == 0) oldest = later.oldest;
      newest = later.newest;
      counted += later.counted;
      integralSum += later.integralSum;
      return;
    }
    for (int i = 0; i < later.size; i++) add(later.timestamp(i), later.value(i));
  }

  /**
   * Drops samples with a timestamp {@code <= boundNanos} (the window is left-open). A counting window
   * drops all or none: a bound inside its span is a caller's error.
   */
  void evictUpTo(long boundNanos) {
    if (counting) {
      if (counted == 0 || oldest > boundNanos) return;
      if (newest > boundNanos) {
        throw new IllegalStateException("a counting window cannot drop part of its samples: they span " + oldest + ".." + newest
            + " ns and the bound is " + boundNanos);
      }
      counted = 0;
      integralSum = 0;
      return;
    }
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

  /** The samples a sample window holds (a counting window: see {@link #count}). */
  int size() {
    if (counting) throw new IllegalStateException("a counting window keeps no samples: ask its count");
    return size;
  }

  /** The number of samples in the window, of either kind. */
  long count() {
    return counting ? counted : size;
  }

  boolean isEmpty() {
    return count() == 0;
  }

  long timestamp(int i) {
    if (counting) throw new IllegalStateException("a counting window keeps no samples");
    return ts[(head + i) & (ts.length - 1)];
  }

  double value(int i) {
    if (counting) throw new IllegalStateException("a counting window keeps no samples");
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
