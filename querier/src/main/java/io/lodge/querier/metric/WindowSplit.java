package io.lodge.querier.metric;

import java.util.concurrent.ExecutorService;

/**
 * How the one window of an instant query is read across cores: cut by time into slices read in
 * parallel, each slice's per-series samples appended in slice order, which rebuilds exactly the window a
 * single read fills (same samples, same order), so every range function gives the same bits. Only on the
 * calling thread of an instant query: a part of a split range query never waits for the pool it runs on.
 */
record WindowSplit(ExecutorService pool, int parallelism, int forcedSlices) {
  /** Below this much time per slice a window is read in one go (a select per slice costs index lookups). */
  static final long MIN_SLICE_NANOS = 5L * 60 * 1_000_000_000L;

  /** No slicing (range query parts, serial engines). */
  static final WindowSplit NONE = new WindowSplit(null, 1, 0);

  /** Slices for a window of {@code rangeNanos}: one per {@link #MIN_SLICE_NANOS}, at most one per thread. */
  int slices(long rangeNanos) {
    if (pool == null) return 1;
    if (forcedSlices > 0) return (int) Math.max(1, Math.min(forcedSlices, rangeNanos));
    return (int) Math.max(1, Math.min(parallelism, rangeNanos / MIN_SLICE_NANOS));
  }
}
