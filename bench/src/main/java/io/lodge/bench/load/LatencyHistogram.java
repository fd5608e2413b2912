package io.lodge.bench.load;

/**
 * A log-linear histogram of non-negative values (the load generator records microseconds): exact below
 * 64, then 32 buckets per power of two, so a percentile is off by at most about 3%; the maximum is exact.
 * Thread-safe by synchronization, which is cheap at the few thousand pushes per second recorded.
 */
public final class LatencyHistogram {
  private static final int SUB_BITS = 5;
  private static final int SUB = 1 << SUB_BITS;
  private final long[] counts = new long[64 + 64 * SUB];
  private long total;
  private long max;

  static int index(long v) {
    if (v < 64) return (int) Math.max(v, 0);
    int e = 63 - Long.numberOfLeadingZeros(v);
    int shift = e - SUB_BITS;
    int m = (int) (v >>> shift) - SUB;
    return 64 + (shift - 1) * SUB + m;
  }

  /** The largest value that falls into bucket {@code i}. */
  static long upperBound(int i) {
    if (i < 64) return i;
    int shift = (i - 64) / SUB + 1;
    long m = (i - 64) % SUB + SUB;
    return ((m + 1) << shift) - 1;
  }

  public synchronized void record(long value) {
    counts[index(value)]++;
    total++;
    if (value > max) max = value;
  }

  /** Adds {@code other}'s counts to this one. */
  public synchronized void add(LatencyHistogram other) {
    long[] c;
    long t, m;
    synchronized (other) {
      c = other.counts.clone();
      t = other.total;
      m = other.max;
    }
    for (int i = 0; i < c.length; i++) counts[i] += c[i];
    total += t;
    max = Math.max(max, m);
  }

  public synchronized void reset() {
    java.util.Arrays.fill(counts, 0);
    total = 0;
    max = 0;
  }

  public synchronized long count() {
    return total;
  }

  public synchronized long max() {
    return max;
  }

  /** The value at quantile {@code q} (0..1), as its bucket's upper bound capped by the maximum; 0 when empty. */
  public synchronized long quantile(double q) {
    if (total == 0) return 0;
    long rank = (long) Math.ceil(q * total);
    if (rank < 1) rank = 1;
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) return Math.min(upperBound(i), max);
    }
    return max;
  }
}
