package io.lodge.querier.metric;

/**
 * The evaluation times of a metric query: {@code start, start+step, ...} while {@code <= end} (Unix ns).
 * An instant query is the grid with {@code start == end} and one point.
 */
public record StepGrid(long startNanos, long endNanos, long stepNanos) {
  public StepGrid {
    if (endNanos < startNanos) throw new IllegalArgumentException("end " + endNanos + " < start " + startNanos);
    if (stepNanos <= 0 && startNanos != endNanos) throw new IllegalArgumentException("step " + stepNanos);
  }

  /** The grid of an instant query at {@code timeNanos}. */
  public static StepGrid instant(long timeNanos) {
    return new StepGrid(timeNanos, timeNanos, 0);
  }

  /**
   * The grid Loki's query frontend evaluates a range query on (LOKI-COMPAT 3.15): start rounded down
   * and end rounded up to multiples of the step (counted from the Unix epoch; the step has ms precision).
   */
  public static StepGrid aligned(long startNanos, long endNanos, long stepNanos) {
    long step = Math.max(1, stepNanos / 1_000_000L) * 1_000_000L;
    long start = startNanos - Math.floorMod(startNanos, step);
    long end = endNanos;
    long mod = Math.floorMod(endNanos, step);
    if (mod != 0) end += step - mod;
    return new StepGrid(start, end, step);
  }

  public boolean isInstant() {
    return startNanos == endNanos;
  }

  /** Number of evaluation points. */
  public int points() {
    if (isInstant()) return 1;
    return (int) ((endNanos - startNanos) / stepNanos) + 1;
  }

  /** The k-th evaluation time. */
  public long at(int k) {
    return startNanos + k * stepNanos;
  }
}
