package io.lodge.bench.metric;

/**
 * One timed evaluation of a metric query over a {@link MetricDataset}: wall time, the CPU time and
 * allocation of the evaluating threads (the calling thread and the engine's pool), the whole process's
 * CPU time (GC and background threads included), the shape of the result ({@code total} is the sum of
 * every point's value, which for {@code count_over_time} with step == range is the number of entries
 * counted), the 1-minute load average right after it, and the CPU time of the busiest evaluating
 * thread: the critical path, i.e. the wall time the query would take with a free core per thread, which
 * unlike the wall time does not depend on what else the machine runs.
 */
public record MetricMeasurement(String name, String logql, long entries, int steps, long wallNanos, long threadCpuNanos,
    long processCpuNanos, long allocatedBytes, int series, long points, double total, double loadAverage,
    long busiestThreadCpuNanos) {

  /** Entries read per wall-clock second. */
  public double entriesPerSecond() {
    return entries / (wallNanos / 1e9);
  }

  /** Entries per CPU second of the evaluating threads: the throughput of one core, whatever the parallelism. */
  public double entriesPerThreadCpuSecond() {
    return threadCpuNanos <= 0 ? Double.NaN : entries / (threadCpuNanos / 1e9);
  }

  /** Entries per CPU second of the whole JVM during the query (adds GC and JIT threads). */
  public double entriesPerProcessCpuSecond() {
    return processCpuNanos <= 0 ? Double.NaN : entries / (processCpuNanos / 1e9);
  }

  /** Cores the query kept busy on average (process CPU / wall). */
  public double coresUsed() {
    return processCpuNanos / (double) wallNanos;
  }

  /** Bytes the evaluating threads allocated per entry. */
  public double allocatedPerEntry() {
    return allocatedBytes / (double) entries;
  }
}
