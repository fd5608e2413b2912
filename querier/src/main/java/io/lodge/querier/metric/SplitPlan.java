package io.lodge.querier.metric;

import io.lodge.querier.logql.ast.BinaryOpExpr;
import io.lodge.querier.logql.ast.LabelReplaceExpr;
import io.lodge.querier.logql.ast.LiteralExpr;
import io.lodge.querier.logql.ast.RangeAggregationExpr;
import io.lodge.querier.logql.ast.SampleExpr;
import io.lodge.querier.logql.ast.VectorAggregationExpr;
import io.lodge.querier.logql.ast.VectorExpr;
import java.util.ArrayList;
import java.util.List;

/**
 * How a range query is split across cores: into contiguous groups of steps, each evaluated on its own
 * (its own reads of {@code (first-offset-range, last-offset]}, its own windows). Every evaluator of
 * the engine computes a step from the entries of that step's windows alone, so a part gives exactly the
 * numbers the whole evaluation gives for its steps, and the matrix is the parts' points concatenated.
 *
 * <p>The price is the overlap: when the range is longer than the step, the entries of the first window
 * of a part were already read by the part before it. Parts are only added while that extra reading stays
 * within half of what the serial evaluation reads ({@code (start-range, end]}): {@code [5m]} ranges over
 * a 6-hour dashboard split across every core, a {@code [1h]} range over 1 hour into 2 parts at most, a
 * {@code [2h]} range over 1 hour not at all.
 */
record SplitPlan(List<StepGrid> parts) {
  /** Fewer steps than this per part are not worth a task (building evaluators, a select per part). */
  static final int MIN_STEPS_PER_PART = 4;

  /** The parts of {@code grid} for a query whose longest range is {@code maxRangeNanos} (-1: reads nothing). */
  static SplitPlan of(StepGrid grid, long maxRangeNanos, int parallelism) {
    int n = grid.points();
    if (parallelism <= 1 || grid.isInstant() || maxRangeNanos < 0) return new SplitPlan(List.of(grid));
    int p = Math.min(parallelism, n / MIN_STEPS_PER_PART);
    double reread = Math.max(0, maxRangeNanos - grid.stepNanos());
    double span = (double) (n - 1) * grid.stepNanos() + maxRangeNanos;
    while (p > 1 && (p - 1) * reread > span / 2) p--;
    return even(grid, Math.max(1, p));
  }

  /** {@code grid} cut into {@code parts} groups of consecutive steps as equal as possible (at most one per step). */
  static SplitPlan even(StepGrid grid, int parts) {
    int n = grid.points();
    int p = Math.max(1, Math.min(parts, n));
    if (p == 1) return new SplitPlan(List.of(grid));
    List<StepGrid> out = new ArrayList<>(p);
    for (int i = 0; i < p; i++) {
      int from = (int) ((long) i * n / p);
      int to = (int) ((long) (i + 1) * n / p);
      out.add(new StepGrid(grid.at(from), grid.at(to - 1), grid.stepNanos()));
    }
    return new SplitPlan(List.copyOf(out));
  }

  /** The longest range of any range aggregation in {@code e}; -1 when it has none (nothing to read). */
  static long maxRangeNanos(SampleExpr e) {
    return switch (e) {
      case RangeAggregationExpr r -> r.range().rangeNanos();
      case VectorAggregationExpr v -> maxRangeNanos(v.inner());
      case BinaryOpExpr b -> Math.max(maxRangeNanos(b.left()), maxRangeNanos(b.right()));
      case LabelReplaceExpr l -> maxRangeNanos(l.inner());
      case LiteralExpr l -> -1;
      case VectorExpr v -> -1;
    };
  }

  int size() {
    return parts.size();
  }
}
