package io.lodge.querier.metric;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lodge.ingester.model.Label;
import io.lodge.querier.api.BadQueryException;
import io.lodge.querier.api.QueryStats;
import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ast.SampleExpr;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The split evaluation of {@link MetricEngine} against its serial evaluation (parallelism 1) on random
 * data and queries: every range function with and without unwrap, grouping and offset, nested in vector
 * aggregations, binary operations and {@code label_replace}, on grids whose steps the parts divide or
 * not, ranges shorter and longer than the step, instant queries (their windows read in slices), random
 * series limits and queries that fail with pipeline errors. The outcome must be identical to the bit: the same series in the same
 * order, the same timestamps, the same value bits, the same lines and bytes in the statistics, or the
 * same error (type, status, message).
 */
class ParallelEvaluationPropertyTest {
  private static final long S = 1_000_000_000L;
  private static final long BASE = 1_700_000_000L * S;
  private static final String[] LOG_FUNCTIONS = {"count_over_time", "rate", "bytes_over_time", "bytes_rate",
      "absent_over_time"};
  private static final String[] UNWRAP_FUNCTIONS = {"rate", "sum_over_time", "avg_over_time", "min_over_time",
      "max_over_time", "stddev_over_time", "stdvar_over_time", "quantile_over_time", "first_over_time",
      "last_over_time", "rate_counter"};
  private static final List<String> GROUPABLE = List.of("avg_over_time", "min_over_time", "max_over_time",
      "stddev_over_time", "stdvar_over_time", "quantile_over_time", "first_over_time", "last_over_time");
  private static final Pattern STAT = Pattern.compile("\"(totalLinesProcessed|totalBytesProcessed)\":(\\d+)");

  @Property(tries = 500)
  void splitEvaluationEqualsSerialEvaluationBitForBit(@ForAll long seed) {
    Random rnd = new Random(seed);
    List<MemoryLogReader.Entry> entries = RangeAggregationPropertyTest.randomEntries(rnd);
    String query = randomQuery(rnd);
    long step = new long[] {1000, 3000, 7000, 10_000, 60_000, 2500}[rnd.nextInt(6)] * 1_000_000L;
    long start = BASE + (rnd.nextInt(260) - 60) * S + rnd.nextInt(1000) * 1_000_000L;
    long end = start + rnd.nextInt(250) * S + rnd.nextInt(1000) * 1_000_000L;
    boolean instant = rnd.nextInt(4) == 0;
    StepGrid grid = instant ? StepGrid.instant(start) : StepGrid.aligned(start, end, step);
    int maxSeries = new int[] {0, 0, 1, 2, 3}[rnd.nextInt(5)];
    int parts = rnd.nextInt(4) == 0 ? 0 : 2 + rnd.nextInt(rnd.nextBoolean() ? 4 : 40); // 0: the cost-based plan
    int parallelism = 2 + rnd.nextInt(3);
    SampleExpr expr = (SampleExpr) LogqlParser.parse(query);

    String serial = outcome(new MetricEngine(new MemoryLogReader(entries), maxSeries, Duration.ZERO, 1), expr, grid,
        instant);
    MemoryLogReader reader = new MemoryLogReader(entries);
    try (MetricEngine engine = new MetricEngine(reader, maxSeries, Duration.ZERO, parallelism)) {
      engine.forceParts(parts);
      String parallel = outcome(engine, expr, grid, instant);
      assertThat(parallel).as("%s on %s, %d parts, seed %d", query, grid, parts, seed).isEqualTo(serial);
      if (parts > 1 && (instant || grid.points() > 1) && SplitPlan.maxRangeNanos(expr) >= 0) {
        // a copy under the list's lock: a cancelled part may still be opening its read
        List<String> threads;
        synchronized (reader.selectThreads) {
          threads = List.copyOf(reader.selectThreads);
        }
        // an instant query's window is read in slices when it slides; without stages the step counts count
        // it in one read, on the calling thread
        String caller = Thread.currentThread().getName();
        assertThat(threads).as("split parts and window slices run on the engine's threads: %s on %s, %d parts", query, grid, parts)
            .allMatch(t -> t.startsWith(MetricEngine.THREAD_PREFIX) || (instant && t.equals(caller)));
      }
    }
  }

  /**
   * Errors that start part-way through the data (latencies are valid durations before a random time and
   * unit-less numbers after it) against small series limits: whether the series limit or the pipeline
   * error is reported depends on which a serial evaluation meets first, also when they are in one part.
   */
  @Property(tries = 300)
  void theEarliestOfSeriesLimitAndPipelineErrorWinsAsInSerialEvaluation(@ForAll long seed) {
    Random rnd = new Random(seed);
    long pivot = BASE + (rnd.nextInt(300) - 80) * S;
    List<MemoryLogReader.Entry> entries = new ArrayList<>();
    for (MemoryLogReader.Entry e : RangeAggregationPropertyTest.randomEntries(rnd)) {
      String latency = (1 + rnd.nextInt(9)) + (e.ts() < pivot ? "ms" : "");
      entries.add(new MemoryLogReader.Entry(e.stream(), e.ts(), e.line(),
          List.of(new Label("latency", latency))));
    }
    String fn = UNWRAP_FUNCTIONS[rnd.nextInt(UNWRAP_FUNCTIONS.length)];
    String param = fn.equals("quantile_over_time") ? "0.5," : "";
    String query = fn + "(" + param + "{app=~\"a|b|c\"} | unwrap duration(latency) [" + (1 + rnd.nextInt(30)) + "s])";
    if (rnd.nextBoolean()) query = "sum by (app, env) (" + query + ")";
    StepGrid grid = StepGrid.aligned(BASE - 100 * S, BASE + 230 * S, (1 + rnd.nextInt(10)) * S);
    int maxSeries = 1 + rnd.nextInt(3);
    SampleExpr expr = (SampleExpr) LogqlParser.parse(query);
    String serial = outcome(new MetricEngine(new MemoryLogReader(entries), maxSeries, Duration.ZERO, 1), expr, grid,
        false);
    try (MetricEngine engine = new MetricEngine(new MemoryLogReader(entries), maxSeries, Duration.ZERO, 2)) {
      engine.forceParts(1 + rnd.nextInt(12));
      assertThat(outcome(engine, expr, grid, false)).as("%s seed %d", query, seed).isEqualTo(serial);
    }
  }

  /** The same pool serves many queries at once; each must still get its own serial numbers. */
  @Property(tries = 30)
  void concurrentQueriesOnOnePoolEachEqualTheirSerialResult(@ForAll long seed) throws Exception {
    Random rnd = new Random(seed);
    List<MemoryLogReader.Entry> entries = RangeAggregationPropertyTest.randomEntries(rnd);
    List<String> queries = new ArrayList<>();
    for (int i = 0; i < 4; i++) queries.add(randomQuery(rnd));
    StepGrid grid = StepGrid.aligned(BASE - 60 * S, BASE + 200 * S, 3 * S);
    MetricEngine shared = new MetricEngine(new MemoryLogReader(entries), 0, Duration.ZERO, 3);
    shared.forceParts(5);
    try (shared) {
      List<Future<String>> results = new ArrayList<>();
      try (var callers = Executors.newFixedThreadPool(4)) {
        for (String q : queries) {
          SampleExpr e = (SampleExpr) LogqlParser.parse(q);
          results.add(callers.submit(() -> outcome(shared, e, grid, false)));
        }
        for (int i = 0; i < queries.size(); i++) {
          SampleExpr e = (SampleExpr) LogqlParser.parse(queries.get(i));
          String serial = outcome(new MetricEngine(new MemoryLogReader(entries), 0, Duration.ZERO, 1), e, grid, false);
          assertThat(results.get(i).get()).as("%s seed %d", queries.get(i), seed).isEqualTo(serial);
        }
      }
    }
  }

  /** A random metric query over {@code {app=~"a|b"}} or {@code {app="a"}}, see the class comment. */
  static String randomQuery(Random rnd) {
    String inner = rangeAggregation(rnd);
    return switch (rnd.nextInt(9)) {
      case 0 -> "sum by (app) (" + inner + ")";
      case 1 -> "topk(1, " + inner + ")";
      case 2 -> inner + " / 2";
      case 3 -> inner + " > bool 1";
      case 4 -> "label_replace(" + inner + ", \"dst\", \"x-$1\", \"app\", \"(.*)\")";
      case 5 -> "sum(" + inner + ") + count(" + rangeAggregation(rnd) + ")";
      case 6 -> "sum without (env) (" + inner + ")";
      default -> inner;
    };
  }

  private static String rangeAggregation(Random rnd) {
    boolean unwrap = rnd.nextInt(5) > 1;
    String fn = unwrap ? UNWRAP_FUNCTIONS[rnd.nextInt(UNWRAP_FUNCTIONS.length)] : LOG_FUNCTIONS[rnd.nextInt(LOG_FUNCTIONS.length)];
    long range = new long[] {1, 5, 10, 30, 60, 90}[rnd.nextInt(6)];
    long offset = new long[] {0, 0, 5, 30}[rnd.nextInt(4)];
    String selector = rnd.nextInt(4) == 0 ? "{app=\"a\"}" : "{app=~\"a|b\"}";
    String grouping = "";
    if (GROUPABLE.contains(fn) && rnd.nextInt(3) > 0) grouping = rnd.nextBoolean() ? " without (env)" : " by (app)";
    // duration() rejects unit-less numbers: SampleExtractionErr, a pipeline error unless filtered out
    String conversion = new String[] {"latency", "latency", "duration(latency)", "bytes(latency)"}[rnd.nextInt(4)];
    String postFilter = conversion.startsWith("duration") && rnd.nextBoolean() ? " | __error__=\"\"" : "";
    String param = fn.equals("quantile_over_time") ? new String[] {"0", "0.25", "0.9", "1"}[rnd.nextInt(4)] + "," : "";
    return fn + "(" + param + selector + (unwrap ? " | unwrap " + conversion + postFilter : "") + " [" + range + "s]"
        + (offset == 0 ? "" : " offset " + offset + "s") + ")" + grouping;
  }

  /** Everything observable about one evaluation, as text: the result to the bit, the stats, or the error. */
  static String outcome(MetricEngine engine, SampleExpr expr, StepGrid grid, boolean instant) {
    QueryStats stats = new QueryStats();
    StringBuilder out = new StringBuilder();
    try {
      MetricResult r = engine.evaluate("t", expr, grid, instant, stats);
      switch (r) {
        case MetricResult.Matrix m -> {
          for (MetricResult.Series s : m.series()) {
            out.append(s.labels()).append(':');
            for (int i = 0; i < s.size(); i++) {
              out.append(' ').append(s.timesMs()[i]).append('=').append(Long.toHexString(Double.doubleToRawLongBits(s.values()[i])));
            }
            out.append('\n');
          }
        }
        case MetricResult.Vector v -> {
          for (Sample s : v.samples()) {
            out.append(s.labels()).append('=').append(Long.toHexString(Double.doubleToRawLongBits(s.value()))).append('\n');
          }
        }
        case MetricResult.Scalar s -> out.append("scalar ").append(s.value());
      }
      out.append(stats(stats));
    } catch (BadQueryException e) {
      out.append("400 ").append(e.getMessage());
    } catch (MetricEvaluationException e) {
      out.append(e.status()).append(' ').append(e.getMessage());
    }
    return out.toString();
  }

  /** totalLinesProcessed and totalBytesProcessed as the response writes them. */
  static String stats(QueryStats stats) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
      g.writeStartObject();
      stats.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StringBuilder out = new StringBuilder();
    Matcher m = STAT.matcher(w.toString());
    while (m.find()) out.append(m.group(1)).append('=').append(m.group(2)).append(' ');
    return out.toString();
  }
}
