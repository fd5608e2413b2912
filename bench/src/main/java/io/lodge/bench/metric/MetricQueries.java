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
 * but in-process, so the figures are the engine's and the store's without HTTP or JSON.
 */
public final class MetricQueries {
  /** The query mix, in order: a pushed-down count and an unwrapped quantile, both over every stream. */
  public static final Map<String, String> MIX;

  static {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("count", "sum by (job) (count_over_time({job=\"lodge-bench\"}[1m]))");
    m.put("quantile", "quantile_over_time(0.99, {job=\"lodge-bench\"} | logfmt | unwrap duration(latency)"
        + " | __error__=\"\" [1m]) by (job)");
    MIX = java.util.Collections.unmodifiableMap(m);
  }

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private final MetricDataset dataset;
  private final MetricEngine engine;
  private final StepGrid grid;

  /** Queries over the whole dataset with {@code stepNanos} (whole ms), no series limit, no timeout. */
  public MetricQueries(MetricDataset dataset, long stepNanos) {
    this.dataset = dataset;
    this.engine = new MetricEngine(dataset.ingester().reader(), 0);
    this.grid = StepGrid.aligned(dataset.startNanos(), dataset.endNanos(), stepNanos);
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

  /** Evaluates {@code logql} once and measures it. */
  public MetricMeasurement measure(String name, String logql) {
    SampleExpr expr = parse(logql);
    long alloc0 = THREADS.getCurrentThreadAllocatedBytes();
    long proc0 = OS.getProcessCpuTime();
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    MetricResult result = evaluate(expr);
    long wall = System.nanoTime() - t0;
    long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
    long proc = OS.getProcessCpuTime() - proc0;
    long alloc = THREADS.getCurrentThreadAllocatedBytes() - alloc0;
    MetricResult.Matrix m = (MetricResult.Matrix) result;
    long points = 0;
    double total = 0;
    for (MetricResult.Series s : m.series()) {
      points += s.size();
      for (double v : s.values()) total += v;
    }
    return new MetricMeasurement(name, logql, dataset.entries(), grid.points(), wall, cpu, proc, alloc,
        m.series().size(), points, total);
  }
}
