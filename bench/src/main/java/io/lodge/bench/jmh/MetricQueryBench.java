package io.lodge.bench.jmh;

import io.lodge.bench.metric.MetricDataset;
import io.lodge.bench.metric.MetricQueries;
import io.lodge.querier.logql.ast.SampleExpr;
import io.lodge.querier.metric.MetricResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * LogQL metric query evaluation ({@code MetricEngine.evaluate}) over {@code streams x entriesPerStream}
 * flushed entries spread over 3 hours, step 1m: the pushed-down {@code sum by (job) (count_over_time)}
 * and {@code quantile_over_time} over a logfmt-parsed, unwrapped {@code latency}. One op is one whole
 * query (single shot, seconds each); entries/s is {@code streams * entriesPerStream / score}. The
 * dataset is built once per fork. Defaults are short (1 warmup + 3 measured evaluations); the default
 * size is 1M entries, {@code -p entriesPerStream=100000} gives the 10M of BENCHMARKS.md; loading 10M
 * needs ~3 GB of heap (the head before the flush), more than the {@code -Xmx2g} {@code bench jmh} forks
 * with, so run that size through JMH's own {@code Main}, which keeps the {@code -Xmx6g} below (forks
 * inherit the other options of the JVM that runs JMH: start it with {@code @server/jvm.options}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx6g")
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class MetricQueryBench {
  @Param("100")
  int streams;
  @Param("10000")
  int entriesPerStream;
  /** Threads a query evaluates on; 0: available processors (compare with {@code -p parallelism=1,2}). */
  @Param("0")
  int parallelism;

  private MetricDataset dataset;
  private MetricQueries queries;
  private SampleExpr count;
  private SampleExpr quantile;

  @Setup(Level.Trial)
  public void setup() {
    dataset = MetricDataset.build(new MetricDataset.Spec(streams, entriesPerStream, TimeUnit.HOURS.toNanos(3), 1, 4, false),
        BenchFixtures.lines(), null);
    queries = new MetricQueries(dataset, TimeUnit.MINUTES.toNanos(1),
        parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors());
    count = MetricQueries.parse(MetricQueries.MIX.get("count"));
    quantile = MetricQueries.parse(MetricQueries.MIX.get("quantile"));
    // a wrong dataset would make the timings meaningless: check once that every entry is counted
    double total = 0;
    for (MetricResult.Series s : ((MetricResult.Matrix) queries.evaluate(count)).series()) {
      for (double v : s.values()) total += v;
    }
    if (Math.round(total) != dataset.entries()) {
      throw new IllegalStateException("count query adds up to " + total + ", pushed " + dataset.entries());
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    dataset.close();
  }

  @Benchmark
  public MetricResult countOverTime() {
    return queries.evaluate(count);
  }

  @Benchmark
  public MetricResult quantileOverTimeUnwrap() {
    return queries.evaluate(quantile);
  }
}
