package io.lodge.querier.metric;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The simplest possible evaluator of one range aggregation, for property tests: for every step it
 * rescans every entry, keeps those in {@code (t-o-r, t-o]} and computes the function from scratch.
 */
final class NaiveOracle {
  /** What the oracle evaluates: function name as in LogQL, optional unwrap label and by/without label. */
  record Query(String fn, Predicate<LabelSet> selector, LabelSet absentLabels, long rangeNanos, long offsetNanos,
      String unwrap, Double param, String groupLabel, boolean without) {}

  private record P(long ts, double v) {}

  private NaiveOracle() {}

  /** The step times: start rounded down, end rounded up to the step, then every step up to end. */
  static List<Long> grid(long start, long end, long step) {
    long s = Math.floorDiv(start, step) * step;
    long e = Math.floorDiv(end + step - 1, step) * step;
    List<Long> out = new ArrayList<>();
    for (long t = s; t <= e; t += step) out.add(t);
    return out;
  }

  /** series labels (canonical string) -> list of {t ms, value}. */
  static Map<String, List<double[]>> evaluate(List<MemoryLogReader.Entry> entries, Query q, List<Long> steps) {
    Map<String, List<double[]>> out = new TreeMap<>();
    List<MemoryLogReader.Entry> sorted = new ArrayList<>(entries);
    sorted.sort((a, b) -> a.ts() != b.ts() ? Long.compare(a.ts(), b.ts()) : a.stream().compareTo(b.stream()));
    for (long t : steps) {
      long hi = t - q.offsetNanos();
      long lo = hi - q.rangeNanos();
      Map<String, List<P>> window = new TreeMap<>();
      for (MemoryLogReader.Entry e : sorted) {
        if (e.ts() <= lo || e.ts() > hi || !q.selector().test(e.stream())) continue;
        LabelSet labels = e.stream();
        for (Label m : e.metadata()) labels = labels.with(m.name(), m.value());
        double v;
        if (q.unwrap() != null) {
          String raw = labels.get(q.unwrap());
          if (raw == null || raw.isEmpty()) continue;
          v = Double.parseDouble(raw);
          labels = labels.without(q.unwrap());
        } else {
          v = q.fn().startsWith("bytes") ? e.bytes().length : 1;
        }
        if (q.groupLabel() != null) {
          labels = q.without() ? labels.without(q.groupLabel())
              : labels.get(q.groupLabel()) == null ? LabelSet.EMPTY : LabelSet.of(q.groupLabel(), labels.get(q.groupLabel()));
        }
        window.computeIfAbsent(labels.toString(), k -> new ArrayList<>()).add(new P(e.ts(), v));
      }
      if (q.fn().equals("absent_over_time")) {
        if (window.isEmpty()) out.computeIfAbsent(q.absentLabels().toString(), k -> new ArrayList<>()).add(new double[] {t / 1_000_000, 1});
        continue;
      }
      for (var w : window.entrySet()) {
        double value = fn(q, w.getValue());
        out.computeIfAbsent(w.getKey(), k -> new ArrayList<>()).add(new double[] {t / 1_000_000, value});
      }
    }
    return out;
  }

  private static double fn(Query q, List<P> s) {
    double seconds = q.rangeNanos() / 1e9;
    double[] v = s.stream().mapToDouble(P::v).toArray();
    double sum = 0;
    for (double x : v) sum += x;
    int n = v.length;
    return switch (q.fn()) {
      case "count_over_time" -> n;
      case "rate" -> q.unwrap() == null ? n / seconds : sum / seconds;
      case "bytes_over_time", "sum_over_time" -> sum;
      case "bytes_rate" -> sum / seconds;
      case "avg_over_time" -> sum / n;
      case "min_over_time" -> Arrays.stream(v).min().orElseThrow();
      case "max_over_time" -> Arrays.stream(v).max().orElseThrow();
      case "stdvar_over_time" -> variance(v);
      case "stddev_over_time" -> Math.sqrt(variance(v));
      case "first_over_time" -> v[0];
      case "last_over_time" -> v[n - 1];
      case "quantile_over_time" -> {
        double[] c = v.clone();
        Arrays.sort(c);
        double rank = q.param() * (n - 1);
        int lower = (int) Math.floor(rank);
        int upper = Math.min(n - 1, lower + 1);
        double w = rank - lower;
        yield c[lower] * (1 - w) + c[upper] * w;
      }
      case "rate_counter" -> {
        if (n < 2) yield 0;
        double inc = v[n - 1] - v[0];
        for (int i = 1; i < n; i++) if (v[i] < v[i - 1]) inc += v[i - 1];
        double sampled = (double) (s.get(n - 1).ts() - s.get(0).ts()) / 1000;
        double avgInterval = sampled / (n - 1);
        double d = seconds;
        if (inc > 0 && v[0] >= 0) d = Math.min(d, sampled * v[0] / inc);
        double ext = d < 1.1 * avgInterval ? d : avgInterval / 2;
        yield inc * (sampled + ext) / sampled / seconds;
      }
      default -> throw new IllegalArgumentException(q.fn());
    };
  }

  /** Two-pass population variance. */
  private static double variance(double[] v) {
    double mean = 0;
    for (double x : v) mean += x;
    mean /= v.length;
    double ss = 0;
    for (double x : v) ss += (x - mean) * (x - mean);
    return ss / v.length;
  }
}
