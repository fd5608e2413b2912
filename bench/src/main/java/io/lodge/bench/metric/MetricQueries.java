package io.lodge.bench.metric;

import io.lodge.querier.api.QueryStats;
import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ast.Expr;
import io.lodge.querier.logql.ast.SampleExpr;
import io.lodge.querier.metric.MetricEngine;
import io.lodge.querier.metric.MetricResult;
import io.lodge.querier.metric.StepGrid;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the benchmark's metric queries over a {@link MetricDataset} the way {@code MetricQueryHandler}
 * does for {@code query_range} ({@link MetricEngine#evaluate} on the frontend-aligned {@link StepGrid}),
 * but in-process, so the figures are the engine's and the store's without HTTP or JSON. The engine
 * evaluates on {@code parallelism} threads; CPU time and allocation are summed over the calling thread
 * and the engine's {@value MetricEngine#THREAD_PREFIX}N threads.
 */
public final class MetricQueries {
  /**
   * The query mix, in order: a pushed-down count and an unwrapped quantile, both over every stream, on
   * the range grid; then {@code instant}, the count of every entry as one instant query at the grid's end
   * (a window of 3 h 1 m, which the engine reads in time slices).
   */
  public static final Map<String, String> MIX;

  static {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("count", "sum by (job) (count_over_time({job=\"lodge-bench\"}[1m]))");
    m.put("quantile", "quantile_over_time(0.99, {job=\"lodge-bench\"} | logfmt | unwrap duration(latency)"
        + " | __error__=\"\" [1m]) by (job)");
    m.put("instant", "sum by (job) (count_over_time({job=\"lodge-bench\"}[181m]))");
    MIX = java.util.Collections.unmodifiableMap(m);
  }

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private final MetricDataset dataset;
  private final MetricEngine engine;
  private final StepGrid grid;

  /** Queries over the whole dataset with {@code stepNanos} (whole ms), no series limit, no timeout, one thread per core. */
  public MetricQueries(MetricDataset dataset, long stepNanos) {
    this(dataset, stepNanos, Runtime.getRuntime().availableProcessors());
  }

  /** As above, evaluating on at most {@code parallelism} threads (1: on the calling thread only). */
  public MetricQueries(MetricDataset dataset, long stepNanos, int parallelism) {
    this.dataset = dataset;
    this.engine = new MetricEngine(dataset.ingester().reader(), 0, java.time.Duration.ZERO, parallelism);
    this.grid = StepGrid.aligned(dataset.startNanos(), dataset.endNanos(), stepNanos);
  }

  public int parallelism() {
    return engine.parallelism();
  }

  public StepGrid grid() {
    return grid;
  }

  /** Parses {@code logql} as a metric query; a log query is a usage error. */
  public static SampleExpr parse(String logql) {
    Expr e = LogqlParser.parse(logql);
    if (e instanceof SampleExpr s) return s;
    throw new IllegalArgumentException("not a metric query: " + logql);
  }

  /** Evaluates {@code expr} once; for JMH, where the harness does the timing. */
  public MetricResult evaluate(SampleExpr expr) {
    return engine.evaluate(dataset.tenant(), expr, grid, false, new QueryStats());
  }

  /** Evaluates {@code expr} once as an instant query at the grid's end (a vector). */
  public MetricResult evaluateInstant(SampleExpr expr) {
    return engine.evaluate(dataset.tenant(), expr, StepGrid.instant(grid.endNanos()), true, new QueryStats());
  }

  /** Whether the mix's query {@code name} is an instant query. */
  public static boolean isInstant(String name) {
    return name.equals("instant");
  }

  /** Evaluates {@code logql} once and measures it. */
  public MetricMeasurement measure(String name, String logql) {
    SampleExpr expr = parse(logql);
    Map<Long, long[]> before = evaluationThreads();
    long proc0 = OS.getProcessCpuTime();
    long t0 = System.nanoTime();
    MetricResult result = isInstant(name) ? evaluateInstant(expr) : evaluate(expr);
    long wall = System.nanoTime() - t0;
    long proc = OS.getProcessCpuTime() - proc0;
    Map<Long, long[]> after = evaluationThreads();
    long cpu = 0;
    long busiest = 0;
    long alloc = 0;
    for (Map.Entry<Long, long[]> e : after.entrySet()) {
      long[] b = before.getOrDefault(e.getKey(), new long[2]); // a thread started during the query
      cpu += e.getValue()[0] - b[0];
      busiest = Math.max(busiest, e.getValue()[0] - b[0]);
      alloc += e.getValue()[1] - b[1];
    }
    long points = 0;
    double total = 0;
    int series;
    if (result instanceof MetricResult.Vector v) {
      series = v.samples().size();
      points = series;
      for (var s : v.samples()) total += s.value();
    } else {
      MetricResult.Matrix m = (MetricResult.Matrix) result;
      series = m.series().size();
      for (MetricResult.Series s : m.series()) {
        points += s.size();
        for (double v : s.values()) total += v;
      }
    }
    return new MetricMeasurement(name, logql, dataset.entries(), grid.points(), wall, cpu, proc, alloc,
        series, points, total, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), busiest);
  }

  /**
   * CPU time and allocated bytes ({id -> {cpu ns, bytes}}) of the calling thread and every live engine
   * thread. Pool threads live for a minute idle, so back-to-back runs see the same ones; a thread that
   * ended during a query would lose its share (none does: the queries take seconds).
   */
  private static Map<Long, long[]> evaluationThreads() {
    Map<Long, long[]> out = new java.util.HashMap<>();
    long self = Thread.currentThread().threadId();
    java.util.List<Long> ids = new java.util.ArrayList<>();
    for (java.lang.management.ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (t != null && (t.getThreadId() == self || t.getThreadName().startsWith(MetricEngine.THREAD_PREFIX))) {
        ids.add(t.getThreadId());
      }
    }
    long[] idArray = ids.stream().mapToLong(Long::longValue).toArray();
    long[] cpu = THREADS.getThreadCpuTime(idArray);
    long[] alloc = THREADS.getThreadAllocatedBytes(idArray);
    for (int i = 0; i < idArray.length; i++) {
      if (cpu[i] >= 0) out.put(idArray[i], new long[] {cpu[i], Math.max(0, alloc[i])});
    }
    return out;
  }
}
