package io.lodge.querier.metric;

import io.lodge.ingester.read.LogReader;
import io.lodge.querier.api.QueryStats;

/**
 * What every evaluator of one query shares: the reader and tenant, the step grid, whether leftover
 * {@code __error__} labels fail the query, and the statistics being counted.
 */
record EvalContext(LogReader reader, String tenant, StepGrid grid, boolean checkErrors, QueryStats stats) {}
