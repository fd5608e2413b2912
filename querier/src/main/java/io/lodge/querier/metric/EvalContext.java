package io.lodge.querier.metric;

import io.lodge.ingester.read.LogReader;

/**
 * What every evaluator of one part of a query shares: the reader and tenant, the part's step grid,
 * whether leftover {@code __error__} labels fail the query, the deadline ({@code System.nanoTime()}
 * scale) and the part's {@link PartControl} (read counts, cancellation by the other parts).
 */
record EvalContext(
    LogReader reader, String tenant, StepGrid grid, boolean checkErrors, long deadlineNanos, PartControl part) {
  /**
   * Throws the 504 once {@code System.nanoTime()} passed the deadline, and stops this part (with an
   * exception nobody reports) once its result can no longer matter: an earlier part failed, or the query
   * gave up.
   */
  void checkDeadline() {
    if (System.nanoTime() - deadlineNanos > 0) throw MetricEvaluationException.timeout();
    part.checkCancelled();
  }
}
