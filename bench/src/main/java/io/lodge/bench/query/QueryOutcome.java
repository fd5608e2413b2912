package io.lodge.bench.query;

import java.util.List;

/**
 * How one query of the mix went: HTTP status of the first (cold) run and its message when refused,
 * latencies in microseconds of the first run and of each repeated (warm) run, the process CPU time of
 * each warm run (when the server is in-process), how many streams or series and entries or points the
 * answer held, and the 1-minute load average after the runs.
 */
record QueryOutcome(String name, String logql, int status, String message, long firstMicros, List<Long> warmMicros,
    List<Long> warmCpuMicros, long series, long values, String loadAverage) {

  boolean supported() {
    return status == 200;
  }

  long warmMin() {
    return warmMicros.stream().mapToLong(Long::longValue).min().orElse(-1);
  }

  long warmMedian() {
    return median(warmMicros);
  }

  /** Median process CPU time of the warm runs (in-process server only), -1 when not measured. */
  long warmCpuMedian() {
    return median(warmCpuMicros);
  }

  private static long median(List<Long> values) {
    if (values.isEmpty()) return -1;
    List<Long> s = values.stream().sorted().toList();
    return s.get(s.size() / 2);
  }
}
