package io.lodge.querier.metric;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.querier.api.QueryStats;
import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ast.SampleExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Every range function, with and without grouping, unwrap and offset, over random entries, ranges and
 * steps (dividing the range or not, shorter or longer than it), against {@link NaiveOracle}, which
 * rescans every entry at every step. Also checks that the engine reads each entry at most once.
 */
class RangeAggregationPropertyTest {
  private static final long S = 1_000_000_000L;
  private static final long BASE = 1_700_000_000L * S;
  private static final String[] FUNCTIONS = {
      "count_over_time", "rate", "bytes_over_time", "bytes_rate", "absent_over_time", "sum_over_time",
      "avg_over_time", "min_over_time", "max_over_time", "stddev_over_time", "stdvar_over_time",
      "quantile_over_time", "first_over_time", "last_over_time", "rate_counter"};
  private static final List<String> NEEDS_UNWRAP = List.of("sum_over_time", "avg_over_time", "min_over_time",
      "max_over_time", "stddev_over_time", "stdvar_over_time", "quantile_over_time", "first_over_time",
      "last_over_time", "rate_counter");
  private static final List<String> GROUPABLE = List.of("avg_over_time", "min_over_time", "max_over_time",
      "stddev_over_time", "stdvar_over_time", "quantile_over_time", "first_over_time", "last_over_time");
  private static final List<String> INEXACT = List.of("avg_over_time", "stddev_over_time", "stdvar_over_time",
      "rate_counter");
  private static final LabelSet[] STREAMS = {
      LabelSet.of("app", "a"), LabelSet.of("app", "b"), LabelSet.of("app", "a", "env", "x"), LabelSet.of("app", "c")};
  private static final String[] LATENCIES = {"1", "2.5", "-3", "10", "0.25", "7", "", "100"};

  @Property(tries = 400)
  void engineMatchesTheNaiveOracle(@ForAll long seed) {
    Random rnd = new Random(seed);
    List<MemoryLogReader.Entry> entries = randomEntries(rnd);
    String fn = FUNCTIONS[rnd.nextInt(FUNCTIONS.length)];
    long range = new long[] {1, 5, 10, 30, 60, 90}[rnd.nextInt(6)] * S;
    long offset = new long[] {0, 0, 5, 30}[rnd.nextInt(4)] * S;
    long step = new long[] {1000, 3000, 7000, 10_000, 60_000, 2500}[rnd.nextInt(6)] * 1_000_000L;
    long start = BASE + (rnd.nextInt(260) - 60) * S + rnd.nextInt(1000) * 1_000_000L;
    long end = start + rnd.nextInt(250) * S + rnd.nextInt(1000) * 1_000_000L;
    boolean unwrap = NEEDS_UNWRAP.contains(fn) || (fn.equals("rate") && rnd.nextBoolean());
    boolean onlyA = rnd.nextInt(4) == 0;
    String selector = onlyA ? "{app=\"a\"}" : "{app=~\"a|b\"}";
    String groupLabel = null;
    boolean without = false;
    String grouping = "";
    if (GROUPABLE.contains(fn) && rnd.nextInt(3) > 0) {
      without = rnd.nextBoolean();
      groupLabel = without ? "env" : "app";
      grouping = (without ? " without (" : " by (") + groupLabel + ")";
    }
    Double param = fn.equals("quantile_over_time") ? new double[] {0, 0.25, 0.5, 0.9, 1}[rnd.nextInt(5)] : null;
    String query = fn + "(" + (param == null ? "" : param + ",") + selector + (unwrap ? " | unwrap latency" : "")
        + " [" + range / S + "s]" + (offset == 0 ? "" : " offset " + offset / S + "s") + ")" + grouping;

    MemoryLogReader reader = new MemoryLogReader(entries);
    SampleExpr expr = (SampleExpr) LogqlParser.parse(query);
    // serial (parallelism 1): the one-pass checks below are about one evaluation; ParallelEvaluationPropertyTest
    // checks that the split evaluation gives exactly these numbers
    MetricResult.Matrix m = (MetricResult.Matrix) new MetricEngine(reader, 0, java.time.Duration.ZERO, 1)
        .evaluate("t", expr, StepGrid.aligned(start, end, step), false, new QueryStats());

    NaiveOracle.Query q = new NaiveOracle.Query(fn,
        l -> onlyA ? "a".equals(l.get("app")) : List.of("a", "b").contains(l.get("app")),
        onlyA ? LabelSet.of("app", "a") : LabelSet.EMPTY, range, offset, unwrap ? "latency" : null, param,
        groupLabel, without);
    Map<String, List<double[]>> expected = NaiveOracle.evaluate(entries, q, NaiveOracle.grid(start, end, step));

    Map<String, List<double[]>> actual = new TreeMap<>();
    for (MetricResult.Series s : m.series()) {
      List<double[]> pts = new ArrayList<>();
      for (int i = 0; i < s.size(); i++) pts.add(new double[] {s.timesMs()[i], s.values()[i]});
      actual.put(s.labels().toString(), pts);
    }
    assertThat(actual.keySet()).as("%s seed %d", query, seed).isEqualTo(expected.keySet());
    for (String series : expected.keySet()) {
      List<double[]> e = expected.get(series);
      List<double[]> a = actual.get(series);
      assertThat(a).as("%s %s seed %d", query, series, seed).hasSameSizeAs(e);
      for (int i = 0; i < e.size(); i++) {
        assertThat(a.get(i)[0]).as("time %s %s", query, series).isEqualTo(e.get(i)[0]);
        if (INEXACT.contains(fn) && Double.isFinite(a.get(i)[1]) && Double.isFinite(e.get(i)[1])) {
          double tol = 1e-9 * Math.max(1, Math.max(Math.abs(a.get(i)[1]), Math.abs(e.get(i)[1])));
          assertThat(a.get(i)[1]).as("%s %s at %s seed %d", query, series, e.get(i)[0], seed)
              .isCloseTo(e.get(i)[1], org.assertj.core.data.Offset.offset(tol));
        } else {
          assertThat(Double.valueOf(a.get(i)[1])).as("%s %s at %s seed %d", query, series, e.get(i)[0], seed)
              .isEqualTo(Double.valueOf(e.get(i)[1]));
        }
      }
    }
    // one forward pass over exactly the needed range
    assertThat(reader.selects).hasSize(1);
    long first = NaiveOracle.grid(start, end, step).getFirst();
    assertThat(reader.selects.getFirst().fromNanos()).isEqualTo(first - offset - range + 1);
    long inRange = entries.stream().filter(x -> x.ts() >= first - offset - range + 1).count();
    assertThat(reader.returned()).isLessThanOrEqualTo((int) inRange);
  }

  /**
   * Instant queries of count, rate and bytes, serial and read in slices, by counting windows and by step
   * counts, against the oracle: a window's count and byte sum must not depend on how its entries were
   * counted.
   */
  @Property(tries = 200)
  void instantCountsMatchTheNaiveOracle(@ForAll long seed) {
    Random rnd = new Random(seed);
    List<MemoryLogReader.Entry> entries = randomEntries(rnd);
    String fn = new String[] {"count_over_time", "rate", "bytes_over_time", "bytes_rate"}[rnd.nextInt(4)];
    long range = new long[] {1, 10, 60, 90, 300}[rnd.nextInt(5)] * S;
    long offset = new long[] {0, 0, 5, 30}[rnd.nextInt(4)] * S;
    long t = BASE + (rnd.nextInt(320) - 60) * S + (rnd.nextBoolean() ? 0 : rnd.nextInt(1000) * 1_000_000L);
    // a label filter that keeps every entry takes the windows' way (counting windows); without it the
    // step counts count the one window
    String stage = rnd.nextBoolean() ? " | app=~\"a|b\"" : "";
    String query = fn + "({app=~\"a|b\"}" + stage + " [" + range / S + "s]" + (offset == 0 ? "" : " offset " + offset / S + "s") + ")";
    SampleExpr expr = (SampleExpr) LogqlParser.parse(query);
    NaiveOracle.Query q = new NaiveOracle.Query(fn, l -> List.of("a", "b").contains(l.get("app")), LabelSet.EMPTY, range,
        offset, null, null, null, false);
    Map<String, Double> expected = new TreeMap<>();
    NaiveOracle.evaluate(entries, q, List.of(t)).forEach((series, points) -> expected.put(series, points.getFirst()[1]));
    int slices = 1 + rnd.nextInt(4);
    try (MetricEngine engine = new MetricEngine(new MemoryLogReader(entries), 0, java.time.Duration.ZERO, slices)) {
      engine.forceParts(slices);
      MetricResult.Vector v = (MetricResult.Vector) engine.evaluate("t", expr, StepGrid.instant(t), true, new QueryStats());
      Map<String, Double> actual = new TreeMap<>();
      for (Sample s : v.samples()) actual.put(s.labels().toString(), s.value());
      assertThat(actual).as("%s at %d in %d slices, seed %d", query, t, slices, seed).isEqualTo(expected);
    }
  }

  static List<MemoryLogReader.Entry> randomEntries(Random rnd) {
    int n = rnd.nextInt(60);
    List<MemoryLogReader.Entry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      LabelSet stream = STREAMS[rnd.nextInt(STREAMS.length)];
      // whole seconds half of the time, so entries sit exactly on window bounds
      long ts = BASE + (rnd.nextInt(320) - 100) * S + (rnd.nextBoolean() ? 0 : rnd.nextInt(1_000_000_000));
      String line = "x".repeat(rnd.nextInt(40)) + (rnd.nextBoolean() ? "é" : "");
      String latency = LATENCIES[rnd.nextInt(LATENCIES.length)];
      List<Label> md = rnd.nextInt(5) == 0 ? List.of() : List.of(new Label("latency", latency));
      out.add(new MemoryLogReader.Entry(stream, ts, line, md));
    }
    return out;
  }
}
