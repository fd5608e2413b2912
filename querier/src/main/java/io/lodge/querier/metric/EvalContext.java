package io.lodge.querier.metric;

import io.lodge.ingester.read.LogReader;

/**
 * What every evaluator of one part of a query shares: the reader and tenant, the part's step grid,
 * whether leftover {@code __error__} labels fail the query, the deadline ({@code System.nanoTime()}
 * scale), the part's {@link PartControl} (read counts, cancellation by the other parts) and how an instant
 * query's window may be read in slices ({@link WindowSplit#NONE} inside a part).
 */
record EvalContext(LogReader reader, String tenant, StepGrid grid, boolean checkErrors, long deadlineNanos,
    PartControl part, WindowSplit split) {
  /** The context of slice {@code index} of a window: its own counts, cancelled by an earlier slice's failure. */
  EvalContext slice(PartControl.Shared shared, int index) {
    return new EvalContext(reader, tenant, grid, checkErrors, deadlineNanos, new PartControl(shared, index, Long.MIN_VALUE),
        WindowSplit.NONE);
  }

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
