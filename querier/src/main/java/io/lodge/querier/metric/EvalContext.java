package io.lodge.querier.metric;

import io.lodge.ingester.read.LogReader;
import io.lodge.querier.api.QueryStats;

/**
 * What every evaluator of one query shares: the reader and tenant, the step grid, whether leftover
 * {@code __error__} labels fail the query, the statistics being counted and the deadline
 * ({@code System.nanoTime()} scale).
 */
record EvalContext(
    LogReader reader, String tenant, StepGrid grid, boolean checkErrors, QueryStats stats, long deadlineNanos) {
  /** Throws the 504 once {@code System.nanoTime()} passed the deadline. */
  void checkDeadline() {
    if (System.nanoTime() - deadlineNanos > 0) throw MetricEvaluationException.timeout();
  }
}
