package io.lodge.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Test oracle for LogQL range functions: for every evaluation time it rescans all pushed entries, keeps those
 * in (t - offset - range, t - offset], groups them by their label set and applies the function straight from
 * the definitions in LOKI-COMPAT §3.11 (two-pass variance, sorted-array quantile). No shared code with the
 * engine under test.
 */
final class NaiveRangeEvaluator {
  private static final long S = 1_000_000_000L;

  private NaiveRangeEvaluator() {}

  /** One pushed entry: stream labels, timestamp (ns), the line and the logfmt fields it renders. */
  record Entry(Map<String, String> stream, long ts, String line, Map<String, String> fields) {}

  /** One result point: time (ns) and value. */
  record Point(long ts, double value) {}

  /**
   * One range-function query: {@code fn([param,] selector [| logfmt [| drop ..] | unwrap ..] [range]
   * [offset ..]) [by|without (..)]}. {@code unwrap} is a field name or {@code bytes(field)}; {@code by} null =
   * no grouping; {@code without} makes {@code by} the list of a {@code without (..)} clause.
   */
  record Query(String fn, double param, Map<String, String> selector, long range, long offset, boolean logfmt,
      Set<String> drop, String unwrap, List<String> by, boolean without) {

    Query(String fn, double param, Map<String, String> selector, long range, long offset, boolean logfmt,
        Set<String> drop, String unwrap, List<String> by) {
      this(fn, param, selector, range, offset, logfmt, drop, unwrap, by, false);
    }

    String logql() {
      StringBuilder b = new StringBuilder(fn).append('(');
      if (!Double.isNaN(param)) b.append(param).append(", ");
      b.append(new TreeMap<>(selector).entrySet().stream().map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
          .collect(Collectors.joining(", ", "{", "}")));
      if (logfmt) b.append(" | logfmt");
      if (!drop.isEmpty()) b.append(" | drop ").append(String.join(", ", drop));
      if (unwrap != null) b.append(" | unwrap ").append(unwrap);
      b.append(" [").append(range / S).append("s]");
      if (offset != 0) b.append(" offset ").append(offset / S).append('s');
      b.append(')');
      if (by != null) b.append(without ? " without (" : " by (").append(String.join(", ", by)).append(')');
      return b.toString();
    }

    String field() {
      return unwrap.startsWith("bytes(") ? unwrap.substring(6, unwrap.length() - 1) : unwrap;
    }

    @Override
    public String toString() {
      return logql();
    }
  }

  /** A sample of one entry for one query: its series labels, time and value (bytes of the line unwrapped). */
  private record Sample(String series, long ts, double value) {}

  /** Series label text (as {@link Map#toString} of a sorted map) -> points, for the given evaluation times. */
  static Map<String, List<Point>> evaluate(List<Entry> entries, Query q, List<Long> times) {
    Map<String, List<Point>> out = new TreeMap<>();
    for (long t : times) {
      long hi = t - q.offset;
      long lo = hi - q.range;
      Map<String, List<Sample>> bySeries = new TreeMap<>();
      boolean any = false;
      for (Entry e : entries) {
        if (e.ts <= lo || e.ts > hi || !matches(e, q.selector)) continue;
        any = true;
        Sample s = sample(e, q);
        if (s != null) bySeries.computeIfAbsent(s.series, k -> new ArrayList<>()).add(s);
      }
      if (q.fn.equals("absent_over_time")) {
        if (!any) out.computeIfAbsent(new TreeMap<>(q.selector).toString(), k -> new ArrayList<>()).add(new Point(t, 1));
        continue;
      }
      for (var s : bySeries.entrySet()) {
        List<Sample> samples = new ArrayList<>(s.getValue());
        samples.sort((a, b) -> Long.compare(a.ts, b.ts));
        out.computeIfAbsent(s.getKey(), k -> new ArrayList<>()).add(new Point(t, apply(q, samples)));
      }
    }
    return out;
  }

  private static boolean matches(Entry e, Map<String, String> selector) {
    for (var m : selector.entrySet()) if (!m.getValue().equals(e.stream.get(m.getKey()))) return false;
    return true;
  }

  private static Sample sample(Entry e, Query q) {
    Map<String, String> labels = new TreeMap<>(e.stream);
    if (q.logfmt) labels.putAll(e.fields);
    labels.keySet().removeAll(q.drop);
    double value = e.line.getBytes(StandardCharsets.UTF_8).length;
    if (q.unwrap != null) {
      String raw = labels.get(q.field());
      if (raw == null || raw.isEmpty()) return null;
      value = q.unwrap.startsWith("bytes(") ? humanBytes(raw) : Double.parseDouble(raw);
      if (q.by == null || q.without || !q.by.contains(q.field())) labels.remove(q.field());
    }
    if (q.by != null && q.without) labels.keySet().removeAll(q.by);
    if (q.by != null && !q.without) labels.keySet().retainAll(q.by);
    return new Sample(labels.toString(), e.ts, value);
  }

  /** The two units the fixture writes: KB (10^3) and KiB (2^10), as go-humanize reads them. */
  private static double humanBytes(String raw) {
    if (raw.endsWith("KiB")) return Double.parseDouble(raw.substring(0, raw.length() - 3)) * 1024;
    if (raw.endsWith("KB")) return Double.parseDouble(raw.substring(0, raw.length() - 2)) * 1000;
    throw new IllegalArgumentException("fixture unit not handled: " + raw);
  }

  private static double apply(Query q, List<Sample> s) {
    int n = s.size();
    double rangeSeconds = (double) q.range / S;
    double[] v = s.stream().mapToDouble(Sample::value).toArray();
    double sum = 0;
    for (double x : v) sum += x;
    return switch (q.fn) {
      case "count_over_time" -> n;
      case "rate" -> (q.unwrap == null ? n : sum) / rangeSeconds;
      case "bytes_rate" -> sum / rangeSeconds;
      case "bytes_over_time", "sum_over_time" -> sum;
      case "avg_over_time" -> sum / n;
      case "min_over_time" -> Arrays.stream(v).min().orElseThrow();
      case "max_over_time" -> Arrays.stream(v).max().orElseThrow();
      case "stdvar_over_time" -> variance(v);
      case "stddev_over_time" -> Math.sqrt(variance(v));
      case "quantile_over_time" -> quantile(q.param, v);
      case "first_over_time" -> v[0];
      case "last_over_time" -> v[n - 1];
      case "rate_counter" -> rateCounter(s, rangeSeconds);
      default -> throw new IllegalArgumentException(q.fn);
    };
  }

  private static double variance(double[] v) {
    double mean = 0;
    for (double x : v) mean += x;
    mean /= v.length;
    double sq = 0;
    for (double x : v) sq += (x - mean) * (x - mean);
    return sq / v.length;
  }

  /** Prometheus' quantile: linear interpolation between the closest ranks of the sorted values. */
  private static double quantile(double phi, double[] values) {
    if (phi > 1) return Double.POSITIVE_INFINITY;
    double[] v = values.clone();
    Arrays.sort(v);
    double rank = phi * (v.length - 1);
    int lower = (int) Math.max(0, Math.floor(rank));
    int upper = Math.min(v.length - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return v[lower] * (1 - weight) + v[upper] * weight;
  }

  /** LOKI-COMPAT §3.11: Loki 3.4.6's counter rate, which treats nanoseconds / 1000 as seconds. */
  private static double rateCounter(List<Sample> s, double rangeSeconds) {
    int n = s.size();
    if (n < 2) return 0;
    double first = s.getFirst().value;
    double inc = s.getLast().value - first;
    for (int i = 1; i < n; i++) if (s.get(i).value < s.get(i - 1).value) inc += s.get(i - 1).value;
    double sampled = (s.getLast().ts - s.getFirst().ts) / 1000.0;
    double avgInterval = sampled / (n - 1);
    double d = rangeSeconds;
    if (inc > 0 && first >= 0) d = Math.min(d, sampled * first / inc);
    double ext = d < 1.1 * avgInterval ? d : avgInterval / 2;
    return inc * (sampled + ext) / sampled / rangeSeconds;
  }

  /** Same series, same timestamps exactly, values equal within 1e-9 relative (1e-12 absolute near zero). */
  static void assertSameResult(Map<String, List<Point>> got, Map<String, List<Point>> expected, String what) {
    assertThat(got.keySet()).as(what + ": series").containsExactlyElementsOf(expected.keySet());
    List<String> wrong = new ArrayList<>();
    for (var e : expected.entrySet()) {
      List<Point> g = got.get(e.getKey());
      assertThat(g.stream().map(Point::ts).toList()).as(what + ": timestamps of " + e.getKey())
          .isEqualTo(e.getValue().stream().map(Point::ts).toList());
      for (int i = 0; i < g.size(); i++) {
        double a = g.get(i).value;
        double b = e.getValue().get(i).value;
        boolean same = Double.compare(a, b) == 0
            || Math.abs(a - b) <= Math.max(1e-12, 1e-9 * Math.max(Math.abs(a), Math.abs(b)));
        if (!same) wrong.add(e.getKey() + " @" + g.get(i).ts + ": got " + a + ", expected " + b);
      }
    }
    assertThat(wrong).as(what + ": values").isEmpty();
  }
}
