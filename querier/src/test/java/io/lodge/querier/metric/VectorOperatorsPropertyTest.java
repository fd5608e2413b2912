package io.lodge.querier.metric;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.model.LabelSet;
import io.lodge.querier.api.QueryStats;
import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ast.SampleExpr;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Vector aggregations and binary operators composed over range aggregations, on random data and grids,
 * against step-by-step maps built from {@link NaiveOracle}'s range results: checks that the evaluators
 * step in lockstep and that grouping, matching and filtering follow LOKI-COMPAT 3.12 and 3.13.
 */
class VectorOperatorsPropertyTest {
  private static final long S = 1_000_000_000L;
  private static final long BASE = 1_700_000_000L * S;
  private static final String X = "count_over_time({app=~\"a|b\"}[30s])";

  /** labels -> (t ms -> value) from the oracle. */
  private static Map<String, Map<Long, Double>> oracle(List<MemoryLogReader.Entry> entries, List<Long> grid) {
    NaiveOracle.Query q = new NaiveOracle.Query("count_over_time", l -> List.of("a", "b").contains(l.get("app")),
        LabelSet.EMPTY, 30 * S, 0, null, null, null, false);
    Map<String, Map<Long, Double>> out = new TreeMap<>();
    NaiveOracle.evaluate(entries, q, grid).forEach((k, pts) -> {
      Map<Long, Double> m = new TreeMap<>();
      for (double[] p : pts) m.put((long) p[0], p[1]);
      out.put(k, m);
    });
    return out;
  }

  private static String app(String series) {
    return series.contains("app=\"a\"") ? "{app=\"a\"}" : "{app=\"b\"}";
  }

  /** Applies a per-step function of the whole oracle vector. */
  private static Map<String, Map<Long, Double>> perStep(Map<String, Map<Long, Double>> in, List<Long> gridMs,
      Function<Map<String, Double>, Map<String, Double>> f) {
    Map<String, Map<Long, Double>> out = new TreeMap<>();
    for (long t : gridMs) {
      Map<String, Double> vec = new TreeMap<>();
      in.forEach((k, pts) -> {
        if (pts.containsKey(t)) vec.put(k, pts.get(t));
      });
      f.apply(vec).forEach((k, v) -> out.computeIfAbsent(k, x -> new TreeMap<>()).put(t, v));
    }
    return out;
  }

  @Property(tries = 150)
  void operatorsMatchTheOracle(@ForAll long seed) {
    Random rnd = new Random(seed);
    List<MemoryLogReader.Entry> entries = RangeAggregationPropertyTest.randomEntries(rnd);
    long step = new long[] {5, 10, 15, 60}[rnd.nextInt(4)] * S;
    long start = BASE + (rnd.nextInt(200) - 60) * S;
    long end = start + rnd.nextInt(240) * S;
    List<Long> grid = NaiveOracle.grid(start, end, step);
    List<Long> gridMs = grid.stream().map(t -> t / 1_000_000).toList();
    Map<String, Map<Long, Double>> x = oracle(entries, grid);
    MemoryLogReader reader = new MemoryLogReader(entries);

    Map<String, Function<Map<String, Double>, Map<String, Double>>> cases = new HashMap<>();
    cases.put("sum by (app) (" + X + ")", v -> {
      Map<String, Double> o = new TreeMap<>();
      v.forEach((k, val) -> o.merge(app(k), val, Double::sum));
      return o;
    });
    cases.put("max by (app) (" + X + ")", v -> {
      Map<String, Double> o = new TreeMap<>();
      v.forEach((k, val) -> o.merge(app(k), val, Math::max));
      return o;
    });
    cases.put("count(" + X + ")", v -> v.isEmpty() ? Map.of() : Map.of("{}", (double) v.size()));
    cases.put(X + " * 2 + 1", v -> {
      Map<String, Double> o = new TreeMap<>();
      v.forEach((k, val) -> o.put(k, val * 2 + 1));
      return o;
    });
    cases.put(X + " > 2", v -> {
      Map<String, Double> o = new TreeMap<>(v);
      o.values().removeIf(val -> !(val > 2));
      return o;
    });
    cases.put(X + " / on (app) group_left sum by (app) (" + X + ")", v -> {
      Map<String, Double> totals = new HashMap<>();
      v.forEach((k, val) -> totals.merge(app(k), val, Double::sum));
      Map<String, Double> o = new TreeMap<>();
      v.forEach((k, val) -> o.put(k, val / totals.get(app(k))));
      return o;
    });
    cases.put("sum by (app) (" + X + ") unless on (app) " + X.replace("a|b", "a"), v -> {
      Map<String, Double> o = new TreeMap<>();
      v.forEach((k, val) -> o.merge(app(k), val, Double::sum));
      boolean anyA = v.keySet().stream().anyMatch(k -> app(k).equals("{app=\"a\"}"));
      if (anyA) o.remove("{app=\"a\"}");
      return o;
    });

    for (var c : cases.entrySet()) {
      MetricResult.Matrix m = (MetricResult.Matrix) new MetricEngine(reader, 0).evaluate("t",
          (SampleExpr) LogqlParser.parse(c.getKey()), StepGrid.aligned(start, end, step), false, new QueryStats());
      Map<String, Map<Long, Double>> actual = new TreeMap<>();
      for (MetricResult.Series s : m.series()) {
        Map<Long, Double> pts = new TreeMap<>();
        for (int i = 0; i < s.size(); i++) pts.put(s.timesMs()[i], s.values()[i]);
        actual.put(s.labels().toString(), pts);
      }
      assertThat(actual).as("%s seed %d", c.getKey(), seed).isEqualTo(perStep(x, gridMs, c.getValue()));
      assertThat(m.series().stream().map(MetricResult.Series::labels).toList()).isSortedAccordingTo(Groupings::compare);
    }
  }
}
