package io.lodge.querier.metric;

import java.util.List;

/**
 * Produces the instant vector of one sub-expression for each point of the query's {@link StepGrid}, in
 * order. {@link #next()} is called exactly once per point; evaluators of one query advance in lockstep.
 */
interface StepEvaluator extends AutoCloseable {
  /** The vector at the next step (may be empty); the list is owned by the caller afterwards. */
  List<Sample> next();


  @Override
  default void close() {}
}
