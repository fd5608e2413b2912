package io.lodge.bench.query;

import java.util.List;

/**
 * How one query of the mix went: HTTP status of the first (cold) run and its message when refused,
 * latencies in microseconds of the first run and of each repeated (warm) run, and how many streams or
 * series and entries or points the answer held.
 */
record QueryOutcome(String name, String logql, int status, String message, long firstMicros, List<Long> warmMicros,
    long series, long values) {

  boolean supported() {
    return status == 200;
  }

  long warmMin() {
    return warmMicros.stream().mapToLong(Long::longValue).min().orElse(-1);
  }

  long warmMedian() {
    if (warmMicros.isEmpty()) return -1;
    List<Long> s = warmMicros.stream().sorted().toList();
    return s.get(s.size() / 2);
  }
}
