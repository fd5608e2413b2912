package io.lodge.querier.metric;

import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.read.LogReader;
import io.lodge.querier.api.BadQueryException;
import io.lodge.querier.api.QueryStats;
import io.lodge.querier.logql.ast.BinaryLabelFilter;
import io.lodge.querier.logql.ast.BinaryOpExpr;
import io.lodge.querier.logql.ast.BytesLabelFilter;
import io.lodge.querier.logql.ast.DurationLabelFilter;
import io.lodge.querier.logql.ast.Grouping;
import io.lodge.querier.logql.ast.IpLabelFilter;
import io.lodge.querier.logql.ast.LabelFilterExpr;
import io.lodge.querier.logql.ast.LabelFilterStage;
import io.lodge.querier.logql.ast.LabelReplaceExpr;
import io.lodge.querier.logql.ast.LiteralExpr;
import io.lodge.querier.logql.ast.NumericLabelFilter;
import io.lodge.querier.logql.ast.RangeAggregationExpr;
import io.lodge.querier.logql.ast.RangeAggregationExpr.RangeOp;
import io.lodge.querier.logql.ast.SampleExpr;
import io.lodge.querier.logql.ast.StringLabelFilter;
import io.lodge.querier.logql.ast.VectorAggregationExpr;
import io.lodge.querier.logql.ast.VectorAggregationExpr.VectorOp;
import io.lodge.querier.logql.ast.VectorExpr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates a parsed metric query over the store (LOKI-COMPAT 3.11 to 3.15): builds one
 * {@link StepEvaluator} per AST node, steps them together over the grid and collects a matrix (range
 * queries) or a vector/scalar (instant queries), enforcing {@code max_query_series} on the unique series
 * of the result. Thread-safe: each call builds its own evaluators.
 */
public final class MetricEngine {
  /** Range functions whose samples an outer {@code sum} may group at extraction, as Loki does. */
  private static final Set<RangeOp> SUM_PUSHDOWN = EnumSet.of(
      RangeOp.COUNT_OVER_TIME, RangeOp.RATE, RangeOp.BYTES_OVER_TIME, RangeOp.BYTES_RATE, RangeOp.SUM_OVER_TIME);

  private final LogReader reader;
  private final int maxQuerySeries;
  private final Duration timeout;

  /** {@code maxQuerySeries} <= 0 disables the series limit; no time limit. */
  public MetricEngine(LogReader reader, int maxQuerySeries) {
    this(reader, maxQuerySeries, Duration.ZERO);
  }

  /** {@code timeout} is Loki's {@code query_timeout} (zero or negative: none). */
  public MetricEngine(LogReader reader, int maxQuerySeries, Duration timeout) {
    this.reader = reader;
    this.maxQuerySeries = maxQuerySeries;
    this.timeout = timeout == null || timeout.isNegative() || timeout.isZero() ? null : timeout;
  }

  /**
   * Evaluates {@code expr} for {@code tenant} on {@code grid}; {@code instant} selects the vector/scalar
   * result of {@code /query}, otherwise a matrix. Throws {@link BadQueryException} (400: series limit,
   * pipeline errors) and {@link MetricEvaluationException} (500: ambiguous vector matches; 504: timeout).
   */
  public MetricResult evaluate(String tenant, SampleExpr expr, StepGrid grid, boolean instant, QueryStats stats) {
    long firstMs = grid.startNanos() / 1_000_000L;
    if (instant && expr instanceof LiteralExpr lit) return new MetricResult.Scalar(firstMs, lit.value());
    long deadline = System.nanoTime() + (timeout == null ? Long.MAX_VALUE / 2 : timeout.toNanos());
    EvalContext ctx = new EvalContext(reader, tenant, grid, !mentionsError(expr), stats, deadline);
    try (StepEvaluator root = build(expr, ctx)) {
      if (instant) {
        List<Sample> v = root.next();
        checkSeries(v.size());
        if (!isSorted(expr)) v.sort((a, b) -> Groupings.compare(a.labels(), b.labels()));
        return new MetricResult.Vector(firstMs, v);
      }
      return matrix(root, ctx);
    }
  }

  private MetricResult.Matrix matrix(StepEvaluator root, EvalContext ctx) {
    StepGrid grid = ctx.grid();
    final class Points {
      long[] ts = new long[4];
      double[] values = new double[4];
      int n;

      void add(long t, double v) {
        if (n == ts.length) {
          ts = Arrays.copyOf(ts, n * 2);
          values = Arrays.copyOf(values, n * 2);
        }
        ts[n] = t;
        values[n++] = v;
      }
    }
    Map<LabelSet, Points> series = new HashMap<>();
    int points = grid.points();
    for (int k = 0; k < points; k++) {
      long tMs = grid.at(k) / 1_000_000L;
      for (Sample s : root.next()) series.computeIfAbsent(s.labels(), x -> new Points()).add(tMs, s.value());
      checkSeries(series.size());
      ctx.checkDeadline();
    }
    List<LabelSet> order = new ArrayList<>(series.keySet());
    order.sort(Groupings::compare);
    List<MetricResult.Series> out = new ArrayList<>(order.size());
    for (LabelSet l : order) {
      Points p = series.get(l);
      out.add(new MetricResult.Series(l, Arrays.copyOf(p.ts, p.n), Arrays.copyOf(p.values, p.n)));
    }
    return new MetricResult.Matrix(out);
  }

  private void checkSeries(int n) {
    if (maxQuerySeries > 0 && n > maxQuerySeries) {
      throw new BadQueryException("maximum of series (" + maxQuerySeries + ") reached for a single query");
    }
  }

  private StepEvaluator build(SampleExpr e, EvalContext ctx) {
    return switch (e) {
      case RangeAggregationExpr r -> new RangeAggregationEvaluator(r, r.grouping(), false, ctx);
      case VectorAggregationExpr v -> vectorAggregation(v, ctx);
      case BinaryOpExpr b -> new BinaryOpEvaluator(b.op(),
          b.left() instanceof LiteralExpr ? null : build(b.left(), ctx),
          b.left() instanceof LiteralExpr l ? l.value() : null,
          b.right() instanceof LiteralExpr ? null : build(b.right(), ctx),
          b.right() instanceof LiteralExpr l ? l.value() : null,
          b.returnBool(), b.matching());
      case LiteralExpr l -> new ConstantEvaluator(l.value());
      case VectorExpr v -> new ConstantEvaluator(v.value());
      case LabelReplaceExpr l -> new LabelReplaceEvaluator(l, build(l.inner(), ctx));
    };
  }

  /**
   * An outer {@code sum} over count/rate/bytes/bytes_rate/sum_over_time groups the samples as they are
   * extracted, as Loki does (so {@code sum(rate(...))} divides the pooled count once). Without any
   * grouping and with no label filter or unwrap, Loki skips the parsers, so their errors never show.
   */
  private StepEvaluator vectorAggregation(VectorAggregationExpr v, EvalContext ctx) {
    StepEvaluator inner;
    if (v.op() == VectorOp.SUM && v.inner() instanceof RangeAggregationExpr r && r.grouping() == null
        && SUM_PUSHDOWN.contains(r.op())) {
      Grouping g = v.grouping() == null ? new Grouping(false, List.of()) : v.grouping();
      boolean noLabels = !g.without() && g.labels().isEmpty() && r.range().unwrap() == null
          && r.range().log().stages().stream().noneMatch(s -> s instanceof LabelFilterStage);
      inner = new RangeAggregationEvaluator(r, g, noLabels, ctx);
    } else {
      inner = build(v.inner(), ctx);
    }
    return new VectorAggregationEvaluator(v.op(), inner, v.grouping(), v.param());
  }

  /** Whether the query orders its vector by value ({@code sort}/{@code sort_desc} anywhere). */
  static boolean isSorted(SampleExpr e) {
    return switch (e) {
      case VectorAggregationExpr v -> v.op() == VectorOp.SORT || v.op() == VectorOp.SORT_DESC || isSorted(v.inner());
      case BinaryOpExpr b -> isSorted(b.left()) || isSorted(b.right());
      case LabelReplaceExpr l -> isSorted(l.inner());
      default -> false;
    };
  }

  /**
   * Whether the query names {@code __error__} in a label filter or a grouping: Loki then treats it as an
   * ordinary label and does not fail on leftover errors (LOKI-COMPAT 3.9).
   */
  static boolean mentionsError(SampleExpr e) {
    return switch (e) {
      case RangeAggregationExpr r -> mentions(r.grouping()) || r.range().log().stages().stream().anyMatch(
          s -> s instanceof LabelFilterStage f && mentions(f.filter()))
          || (r.range().unwrap() != null && r.range().unwrap().postFilters().stream().anyMatch(MetricEngine::mentions));
      case VectorAggregationExpr v -> mentions(v.grouping()) || mentionsError(v.inner());
      case BinaryOpExpr b -> mentionsError(b.left()) || mentionsError(b.right());
      case LabelReplaceExpr l -> mentionsError(l.inner());
      case LiteralExpr l -> false;
      case VectorExpr v -> false;
    };
  }

  private static boolean mentions(Grouping g) {
    return g != null && g.labels().contains(PostFilters.ERROR);
  }

  private static boolean mentions(LabelFilterExpr f) {
    return switch (f) {
      case StringLabelFilter s -> s.matcher().name().equals(PostFilters.ERROR);
      case NumericLabelFilter n -> n.name().equals(PostFilters.ERROR);
      case DurationLabelFilter d -> d.name().equals(PostFilters.ERROR);
      case BytesLabelFilter b -> b.name().equals(PostFilters.ERROR);
      case IpLabelFilter i -> i.name().equals(PostFilters.ERROR);
      case BinaryLabelFilter b -> mentions(b.left()) || mentions(b.right());
    };
  }

}
