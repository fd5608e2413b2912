package io.lodge.querier.metric;

import io.lodge.ingester.model.LabelSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-step entry counts (and line bytes) of every series of a count/rate/bytes range aggregation on
 * a range grid, filled from entries in any order: an entry at {@code e} counts for the steps {@code t}
 * with {@code t-o-r < e <= t-o}, a run of consecutive step indices, so it is added to a difference array
 * at the run's two ends and {@link #samples} turns the arrays into running sums step by step. The counts
 * are integers (the bytes too, below 2^53), so the sums are exactly those the sliding windows of
 * {@link SeriesWindow} keep, whatever the order the entries came in.
 *
 * <p>Memory is {@code series x (points + 1)} longs (twice for bytes), bounded by a budget of cells: past
 * it {@link #add} refuses and the caller evaluates the sliding way instead.
 */
final class StepCounts {
  /** One series' difference arrays and the running sums at the current step. */
  private static final class Series {
    final LabelSet labels;
    final long[] count;
    final long[] bytes; // null unless the function sums bytes
    long runningCount;
    long runningBytes;

    Series(LabelSet labels, int cells, boolean bytes) {
      this.labels = labels;
      this.count = new long[cells];
      this.bytes = bytes ? new long[cells] : null;
    }
  }

  private final long firstWindowEnd; // t_0 - o
  private final long stepNanos;
  private final long rangeNanos;
  private final int points;
  private final boolean bytes;
  private final long maxSeries;
  private final Map<LabelSet, Series> series = new HashMap<>();
  private final List<Series> ordered = new ArrayList<>(); // iteration without the map's overhead
  private Series last; // the series of the previous entry: mostly the next one's too

  private int lo; // the step run of the entry last placed
  private int hi;
  // the offsets d = ts - firstWindowEnd in (placedAfter, placedUpTo] all have the run of the last
  // computed one (and its answer): entries of a stream come in time order, so most skip both divisions
  private long placedAfter = Long.MAX_VALUE;
  private long placedUpTo = Long.MIN_VALUE;
  private boolean placedHit;

  /**
   * Counts for {@code grid} with windows {@code (t-o-r, t-o]}; {@code bytes} keeps line bytes too; at most
   * {@code cellBudget} cells in all. An instant grid's one point is counted as a range grid's first
   * point with a step of the range (any step would do: no second point exists).
   */
  StepCounts(StepGrid grid, long rangeNanos, long offsetNanos, boolean bytes, long cellBudget) {
    this.firstWindowEnd = grid.startNanos() - offsetNanos;
    this.stepNanos = grid.isInstant() ? Math.max(1, rangeNanos) : grid.stepNanos();
    this.rangeNanos = rangeNanos;
    this.points = grid.points();
    this.bytes = bytes;
    long perSeries = (points + 1L) * (bytes ? 2 : 1);
    this.maxSeries = cellBudget / perSeries;
  }

  /**
   * Finds the steps whose windows hold an entry at {@code ts}: false when there are none (it falls
   * between two windows, or outside the grid's), otherwise the run is kept for {@link #add}.
   */
  boolean place(long ts) {
    long d = ts - firstWindowEnd; // the entry counts at step k iff k*step >= d and k*step < d + range
    if (d > placedAfter && d <= placedUpTo) return placedHit;
    long first = -Math.floorDiv(-d, stepNanos); // ceil(d / step)
    long lastPlus = -Math.floorDiv(-(d + rangeNanos), stepNanos); // ceil((d + range) / step)
    // first stays for d in ((first-1)*step, first*step], lastPlus for d+range in ((lastPlus-1)*step, lastPlus*step]
    placedAfter = Math.max((first - 1) * stepNanos, (lastPlus - 1) * stepNanos - rangeNanos);
    placedUpTo = Math.min(first * stepNanos, lastPlus * stepNanos - rangeNanos);
    long last = lastPlus - 1;
    if (first < 0) first = 0;
    if (last > points - 1) last = points - 1;
    placedHit = first <= last;
    if (placedHit) {
      lo = (int) first;
      hi = (int) last;
    }
    return placedHit;
  }

  /**
   * Adds the entry last {@link #place placed} to {@code labels}' counts with {@code lineBytes}; false
   * (nothing added) when a new series would exceed the cell budget.
   */
  boolean add(LabelSet labels, long lineBytes) {
    Series s = seriesOf(labels);
    if (s == null) return false;
    s.count[lo]++;
    s.count[hi + 1]--;
    if (bytes) {
      s.bytes[lo] += lineBytes;
      s.bytes[hi + 1] -= lineBytes;
    }
    return true;
  }

  /** The counts of {@code labels}' series, created when new: null when that would exceed the cell budget. */
  private Series seriesOf(LabelSet labels) {
    Series s = last;
    if (s == null || s.labels != labels) {
      // the extractor hands out cached label sets, so the same series is mostly the same instance
      s = series.get(labels);
      if (s == null) {
        if (ordered.size() >= maxSeries) return null;
        s = new Series(labels, points + 1, bytes);
        series.put(labels, s);
        ordered.add(s);
      }
      last = s;
    }
    return s;
  }

  /**
   * Adds the entries at {@code ts[from, to)} (timestamps in ascending order, all of one series) to
   * {@code labels}' counts, with their line bytes from {@code offsets} (entry i has
   * {@code offsets[i + 1] - offsets[i]}; needed only when bytes are kept); {@code labels} null places
   * them without adding (entries that yield no sample). Returns how many fall in some window, or -1 (and
   * adds nothing) when their series would exceed the cell budget.
   *
   * <p>Why: sorted entries fall into the same run of steps for long stretches, so each stretch is found
   * with one subtraction and two compares per entry and added to the difference arrays once, instead of
   * two array updates per entry.
   */
  int addSorted(LabelSet labels, long[] ts, int from, int to, int[] offsets) {
    Series s = null;
    int placedCount = 0;
    int i = from;
    while (i < to) {
      boolean hit = place(ts[i]);
      // every following entry with an offset in (placedAfter, placedUpTo] has the same run
      int j = i + 1;
      while (j < to) {
        long d = ts[j] - firstWindowEnd;
        if (d <= placedAfter || d > placedUpTo) break;
        j++;
      }
      if (hit) {
        if (labels != null) {
          if (s == null && (s = seriesOf(labels)) == null) return -1;
          int n = j - i;
          s.count[lo] += n;
          s.count[hi + 1] -= n;
          if (bytes) {
            long b = (long) offsets[j] - offsets[i];
            s.bytes[lo] += b;
            s.bytes[hi + 1] -= b;
          }
        }
        placedCount += j - i;
      }
      i = j;
    }
    return placedCount;
  }

  /**
   * Adds {@code n} entries of one series with timestamps in {@code [first, last]} and {@code lineBytes}
   * in all, when every timestamp of that span has the same run of steps (then their own timestamps do
   * not matter): returns {@code n} when they were added, 0 when the span falls in no window, -1 (nothing
   * added) when their series would exceed the cell budget, and -2 (nothing added) when the span crosses
   * from one run to another. {@code labels} null places them without adding (no sample).
   */
  int addSpan(LabelSet labels, long first, long last, int n, long lineBytes) {
    boolean hit = place(first);
    long d = last - firstWindowEnd;
    if (last < first || d <= placedAfter || d > placedUpTo) return -2;
    if (!hit) return 0;
    if (labels == null) return n;
    Series s = seriesOf(labels);
    if (s == null) return -1;
    s.count[lo] += n;
    s.count[hi + 1] -= n;
    if (bytes) {
      s.bytes[lo] += lineBytes;
      s.bytes[hi + 1] -= lineBytes;
    }
    return n;
  }

  /** The line bytes of the entries of {@code ts[from, to)} that fall in some window (see {@link #addSorted}). */
  long placedBytes(long[] ts, int from, int to, int[] offsets) {
    long sum = 0;
    for (int i = from; i < to; i++) {
      if (place(ts[i])) sum += offsets[i + 1] - offsets[i];
    }
    return sum;
  }

  /** Number of series seen. */
  int seriesCount() {
    return ordered.size();
  }

  /**
   * Advances every series' running sums to step {@code k} (called for k = 0, 1, ... in order) and
   * calls {@code sink} for each series whose window at that step holds entries.
   */
  void samples(int k, StepSink sink) {
    for (int i = 0, n = ordered.size(); i < n; i++) {
      Series s = ordered.get(i);
      s.runningCount += s.count[k];
      if (bytes) s.runningBytes += s.bytes[k];
      if (s.runningCount > 0) sink.accept(s.labels, s.runningCount, s.runningBytes);
    }
  }

  /** Receives a non-empty window: its series, entry count and line bytes (0 unless bytes are kept). */
  interface StepSink {
    void accept(LabelSet labels, long count, long bytes);
  }
}
