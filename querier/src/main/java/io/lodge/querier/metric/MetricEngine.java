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
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Evaluates a parsed metric query over the store (LOKI-COMPAT 3.11 to 3.15): builds one
 * {@link StepEvaluator} per AST node, steps them together over the grid and collects a matrix (range
 * queries) or a vector/scalar (instant queries), enforcing {@code max_query_series} on the unique series
 * of the result.
 *
 * <p>A range query is split into groups of consecutive steps ({@link SplitPlan}) evaluated in parallel
 * on the engine's own bounded pool (threads {@value #THREAD_PREFIX}N, at most {@code parallelism} of
 * them for all queries together; the calling thread only merges). Each part reads its own time range,
 * so the numbers are exactly those of a serial evaluation; errors, the series limit and the timeout are
 * decided as the serial evaluation decides them (the earliest step's error wins). Thread-safe; each call
 * builds its own evaluators. {@link #close()} stops the pool.
 */
public final class MetricEngine implements AutoCloseable {
  /** Name prefix of the evaluation threads (for thread dumps and CPU accounting). */
  public static final String THREAD_PREFIX = "lodge-metric-";
  /** Range functions whose samples an outer {@code sum} may group at extraction, as Loki does. */
  private static final Set<RangeOp> SUM_PUSHDOWN = EnumSet.of(
      RangeOp.COUNT_OVER_TIME, RangeOp.RATE, RangeOp.BYTES_OVER_TIME, RangeOp.BYTES_RATE, RangeOp.SUM_OVER_TIME);
  private static final AtomicInteger THREADS = new AtomicInteger();
  /**
   * Cells (longs) the step counts of one range aggregation of one part may hold: 32 MiB. Past it the
   * evaluation falls back to the sliding windows, whose memory is one window's entries.
   */
  static final long DEFAULT_STEP_COUNT_CELLS = 1L << 22;

  private final LogReader reader;
  private final int maxQuerySeries;
  private final Duration timeout;
  private final int parallelism;
  private final ThreadPoolExecutor pool; // null when parallelism is 1
  private int forcedParts; // tests: split into exactly this many parts (0: plan by cost)
  private long stepCountCells = DEFAULT_STEP_COUNT_CELLS;

  /** {@code maxQuerySeries} <= 0 disables the series limit; no time limit; one thread per core. */
  public MetricEngine(LogReader reader, int maxQuerySeries) {
    this(reader, maxQuerySeries, Duration.ZERO);
  }

  /** {@code timeout} is Loki's {@code query_timeout} (zero or negative: none); one thread per core. */
  public MetricEngine(LogReader reader, int maxQuerySeries, Duration timeout) {
    this(reader, maxQuerySeries, timeout, Runtime.getRuntime().availableProcessors());
  }

  /**
   * {@code parallelism} is the most threads range queries evaluate on, all queries together (Loki's
   * {@code querier.max_concurrent} plays that role); 1 evaluates every query on the calling thread.
   */
  public MetricEngine(LogReader reader, int maxQuerySeries, Duration timeout, int parallelism) {
    if (parallelism < 1) throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    this.reader = reader;
    this.maxQuerySeries = maxQuerySeries;
    this.timeout = timeout == null || timeout.isNegative() || timeout.isZero() ? null : timeout;
    this.parallelism = parallelism;
    if (parallelism == 1) {
      this.pool = null;
    } else {
      // threads start on demand and die after a minute idle, so an engine that is never closed (tests,
      // tools) leaks nothing that keeps the JVM alive or costs memory for long
      this.pool = new ThreadPoolExecutor(parallelism, parallelism, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
          r -> {
            Thread t = new Thread(r, THREAD_PREFIX + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      this.pool.allowCoreThreadTimeOut(true);
    }
  }

  /** The most threads range queries evaluate on. */
  public int parallelism() {
    return parallelism;
  }

  /**
   * Tests: split every range query into exactly {@code parts} parts (at most one per step) and read
   * every instant query's windows in that many slices; 0 plans by cost.
   */
  void forceParts(int parts) {
    this.forcedParts = parts;
  }

  /**
   * Tests: the cells a range aggregation's step counts may hold before it falls back to sliding windows
   * (0: always slide); see {@link RangeAggregationEvaluator}.
   */
  void stepCountCells(long cells) {
    this.stepCountCells = cells;
  }

  /**
   * Evaluates {@code expr} for {@code tenant} on {@code grid}; {@code instant} selects the vector/scalar
   * result of {@code /query}, otherwise a matrix. Throws {@link BadQueryException} (400: series limit,
   * pipeline errors) and {@link MetricEvaluationException} (500: ambiguous vector matches; 504: timeout;
   * 499: the calling thread was interrupted).
   */
  public MetricResult evaluate(String tenant, SampleExpr expr, StepGrid grid, boolean instant, QueryStats stats) {
    long firstMs = grid.startNanos() / 1_000_000L;
    if (instant && expr instanceof LiteralExpr lit) return new MetricResult.Scalar(firstMs, lit.value());
    long deadline = System.nanoTime() + (timeout == null ? Long.MAX_VALUE / 2 : timeout.toNanos());
    boolean checkErrors = !mentionsError(expr);
    if (instant) {
      PartControl part = PartControl.whole();
      WindowSplit split = pool == null ? WindowSplit.NONE : new WindowSplit(pool, parallelism, forcedParts);
      EvalContext ctx = new EvalContext(reader, tenant, grid, checkErrors, deadline, part, split);
      try (StepEvaluator root = build(expr, ctx)) {
        List<Sample> v = root.next();
        checkSeries(v.size());
        if (!isSorted(expr)) v.sort((a, b) -> Groupings.compare(a.labels(), b.labels()));
        return new MetricResult.Vector(firstMs, v);
      } finally {
        stats.processed(part.lines(), part.bytes());
      }
    }
    SplitPlan plan = pool == null ? new SplitPlan(List.of(grid))
        : forcedParts > 0 ? SplitPlan.even(grid, forcedParts)
        : SplitPlan.of(grid, SplitPlan.maxRangeNanos(expr), parallelism);
    return matrix(tenant, expr, plan, checkErrors, deadline, stats);
  }

  /**
   * Runs the parts (the only part on the calling thread, several on the pool) and concatenates their
   * points series by series, in part order. A part's failure is reported only after the parts before it
   * were merged and the series limit checked on what it saw, which is what a serial evaluation reports.
   */
  private MetricResult.Matrix matrix(
      String tenant, SampleExpr expr, SplitPlan plan, boolean checkErrors, long deadline, QueryStats stats) {
    PartControl.Shared shared = new PartControl.Shared();
    List<StepGrid> grids = plan.parts();
    List<Future<PartResult>> futures = new ArrayList<>(grids.size());
    long lines = 0;
    long bytes = 0;
    try {
      for (int i = 0; i < grids.size(); i++) {
        long previousLast = i == 0 ? Long.MIN_VALUE : grids.get(i - 1).endNanos();
        EvalContext ctx = new EvalContext(reader, tenant, grids.get(i), checkErrors, deadline,
            new PartControl(shared, i, previousLast), WindowSplit.NONE);
        if (grids.size() == 1) {
          futures.add(CompletableFuture.completedFuture(evaluatePart(expr, ctx)));
        } else {
          futures.add(pool.submit(() -> evaluatePart(expr, ctx)));
        }
      }
      Map<LabelSet, PartResult.Points> series = new HashMap<>();
      for (Future<PartResult> f : futures) {
        PartResult part = PartControl.await(f, deadline);
        lines += part.control.lines();
        bytes += part.control.bytes();
        for (Map.Entry<LabelSet, PartResult.Points> e : part.series.entrySet()) {
          PartResult.Points merged = series.putIfAbsent(e.getKey(), e.getValue());
          if (merged != null) merged.addAll(e.getValue());
        }
        checkSeries(series.size());
        if (part.failure != null) throw part.failure;
      }
      List<LabelSet> order = new ArrayList<>(series.keySet());
      order.sort(Groupings::compare);
      List<MetricResult.Series> out = new ArrayList<>(order.size());
      for (LabelSet l : order) out.add(series.get(l).toSeries(l));
      return new MetricResult.Matrix(out);
    } finally {
      shared.cancelAll(); // a no-op when every part finished; otherwise nobody waits for the rest
      for (Future<PartResult> f : futures) f.cancel(false);
      stats.processed(lines, bytes);
    }
  }

  /** One part: the serial evaluation of its steps, stopping at the first error or past the series limit. */
  private PartResult evaluatePart(SampleExpr expr, EvalContext ctx) {
    PartResult out = new PartResult(ctx.part());
    try {
      ctx.checkDeadline(); // it may have waited in the queue behind other queries' parts
      try (StepEvaluator root = build(expr, ctx)) {
        StepGrid grid = ctx.grid();
        int points = grid.points();
        for (int k = 0; k < points; k++) {
          long tMs = grid.at(k) / 1_000_000L;
          for (Sample s : root.next()) out.add(s.labels(), tMs, s.value());
          // more series here means more in the whole result: stop now rather than hold them all
          checkSeries(out.series.size());
          ctx.checkDeadline();
        }
      }
    } catch (RuntimeException e) {
      out.failure = e;
      ctx.part().failed();
    }
    return out;
  }

  /**
   * Stops the evaluation threads once the parts already submitted finished. Never interrupts them: an
   * interrupt during a read would close the store's shared file channels under other queries.
   */
  @Override
  public void close() {
    if (pool != null) pool.shutdown();
  }

  private void checkSeries(int n) {
    if (maxQuerySeries > 0 && n > maxQuerySeries) {
      throw new BadQueryException("maximum of series (" + maxQuerySeries + ") reached for a single query");
    }
  }

  private StepEvaluator build(SampleExpr e, EvalContext ctx) {
    return switch (e) {
      case RangeAggregationExpr r -> new RangeAggregationEvaluator(r, r.grouping(), false, ctx, stepCountCells);
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
      inner = new RangeAggregationEvaluator(r, g, noLabels, ctx, stepCountCells);
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
