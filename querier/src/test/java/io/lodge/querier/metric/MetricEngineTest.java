package io.lodge.querier.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.querier.api.BadQueryException;
import io.lodge.querier.api.QueryStats;
import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ast.SampleExpr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine on small hand-made data sets whose answers are worked out in the comments: windows,
 * vector aggregations, binary operators and matching, functions, unwrap conversions, errors, limits.
 */
class MetricEngineTest {
  private static final long S = 1_000_000_000L;
  private static final long B = 1_699_999_980L; // a multiple of 60 s

  private final List<MemoryLogReader.Entry> entries = new ArrayList<>();
  private int maxSeries = 0;

  private void add(LabelSet stream, long secondsAfterB, String line, String... metadata) {
    List<Label> md = new ArrayList<>();
    for (int i = 0; i < metadata.length; i += 2) md.add(new Label(metadata[i], metadata[i + 1]));
    entries.add(new MemoryLogReader.Entry(stream, (B + secondsAfterB) * S, line, md));
  }

  private MetricResult eval(String query, StepGrid grid, boolean instant) {
    return new MetricEngine(new MemoryLogReader(entries), maxSeries)
        .evaluate("t", (SampleExpr) LogqlParser.parse(query), grid, instant, new QueryStats());
  }

  /** Instant query at B+t: "labels=value" in result order. */
  private List<String> instant(String query, long t) {
    MetricResult r = eval(query, StepGrid.instant((B + t) * S), true);
    List<String> out = new ArrayList<>();
    if (r instanceof MetricResult.Scalar s) {
      out.add("scalar=" + MetricJson.value(s.value()));
      return out;
    }
    for (Sample s : ((MetricResult.Vector) r).samples()) out.add(s.labels() + "=" + MetricJson.value(s.value()));
    return out;
  }

  /** Range query over [B+from, B+to] by step seconds: labels -> "t:value" (t relative to B). */
  private Map<String, List<String>> range(String query, long from, long to, long step) {
    MetricResult.Matrix m = (MetricResult.Matrix) eval(query, StepGrid.aligned((B + from) * S, (B + to) * S, step * S), false);
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (MetricResult.Series s : m.series()) {
      List<String> pts = new ArrayList<>();
      for (int i = 0; i < s.size(); i++) pts.add((s.timesMs()[i] / 1000 - B) + ":" + MetricJson.value(s.values()[i]));
      out.put(s.labels().toString(), pts);
    }
    return out;
  }

  private static final LabelSet A = LabelSet.of("app", "a", "level", "info");
  private static final LabelSet A_ERR = LabelSet.of("app", "a", "level", "error");
  private static final LabelSet BB = LabelSet.of("app", "b", "level", "info");

  @Test
  void windowIsLeftOpenRightClosed() {
    for (int t = 10; t <= 60; t += 10) add(A, t, "line");
    add(A, 0, "line");
    // entries at 0,10..60: at t=60 the window (0,60] holds 10..60 = 6 entries
    assertThat(instant("count_over_time({app=\"a\"}[1m])", 60)).containsExactly("{app=\"a\", level=\"info\"}=6");
    assertThat(range("count_over_time({app=\"a\"}[1m])", 0, 120, 30)).containsExactly(
        Map.entry("{app=\"a\", level=\"info\"}", List.of("0:1", "30:4", "60:6", "90:3")));
    assertThat(range("count_over_time({app=\"a\"}[10s] offset 20s)", 30, 90, 30)).containsExactly(
        Map.entry("{app=\"a\", level=\"info\"}", List.of("30:1", "60:1", "90:0").subList(0, 2)));
  }

  @Test
  void rateAndBytes() {
    add(A, 1, "12345");
    add(A, 2, "é"); // two bytes
    assertThat(instant("rate({app=\"a\"}[4s])", 4)).containsExactly("{app=\"a\", level=\"info\"}=0.5");
    assertThat(instant("bytes_over_time({app=\"a\"}[4s])", 4)).containsExactly("{app=\"a\", level=\"info\"}=7");
    assertThat(instant("bytes_rate({app=\"a\"}[4s])", 4)).containsExactly("{app=\"a\", level=\"info\"}=1.75");
  }

  @Test
  void rateCounterUsesLokisFormula() {
    for (int i = 1; i <= 4; i++) add(A, 10L * i, "x", "c", "" + i);
    assertThat(instant("rate_counter({app=\"a\"} | unwrap c [1m])", 60)).containsExactly("{app=\"a\", level=\"info\"}=0.0500001");
  }

  @Test
  void unwrapConversionsAndLabelRemoval() {
    add(A, 1, "x", "d", "1.5s", "size", "2KiB", "n", "3");
    add(A, 2, "x", "d", "250ms", "size", "1kB", "n", "");
    add(A, 3, "x", "n", "4");
    assertThat(instant("sum_over_time({app=\"a\"} | unwrap duration(d) [5s])", 5)).containsExactly(
        "{app=\"a\", level=\"info\", n=\"\", size=\"1kB\"}=0.25", "{app=\"a\", level=\"info\", n=\"3\", size=\"2KiB\"}=1.5");
    assertThat(instant("sum by (app) (sum_over_time({app=\"a\"} | unwrap bytes(size) [5s]))", 5)).containsExactly("{app=\"a\"}=3048");
    // an empty or absent label yields no sample
    assertThat(instant("sum(rate({app=\"a\"} | unwrap n [5s]))", 5)).containsExactly("{}=1.4");
    assertThat(instant("sum(sum_over_time({app=\"a\"} | unwrap n [5s]))", 5)).containsExactly("{}=7");
    assertThat(instant("max_over_time({app=\"a\"} | unwrap n [5s]) by (n)", 5)).containsExactly("{n=\"3\"}=3", "{n=\"4\"}=4");
  }

  @Test
  void conversionErrorsFailUnlessFiltered() {
    add(A, 1, "x", "latency", "abc");
    add(A, 2, "x", "latency", "2");
    assertThatThrownBy(() -> instant("sum_over_time({app=\"a\"} | unwrap latency [5s])", 5))
        .isInstanceOf(BadQueryException.class)
        .hasMessage("pipeline error: 'SampleExtractionErr' for series: '{__error__=\"SampleExtractionErr\", "
            + "__error_details__=\"strconv.ParseFloat: parsing \\\"abc\\\": invalid syntax\", app=\"a\", level=\"info\"}'.\n"
            + "Use a label filter to intentionally skip this error. (e.g | __error__!=\"SampleExtractionErr\").\n"
            + "To skip all potential errors you can match empty errors.(e.g __error__=\"\")\n"
            + "The label filter can also be specified after unwrap. (e.g | unwrap latency | __error__=\"\" )\n");
    assertThat(instant("sum_over_time({app=\"a\"} | unwrap latency | __error__=\"\" [5s])", 5))
        .containsExactly("{app=\"a\", level=\"info\"}=2");
    assertThat(instant("sum by (__error__) (sum_over_time({app=\"a\"} | unwrap latency [5s]))", 5))
        .containsExactly("{}=2", "{__error__=\"SampleExtractionErr\"}=0");
    // outside every window the error does not matter
    assertThat(range("sum_over_time({app=\"a\"} | unwrap latency [1s])", 0, 4, 2)).containsExactly(
        Map.entry("{app=\"a\", level=\"info\"}", List.of("2:2")));
  }

  @Test
  void postUnwrapFilters() {
    add(A, 1, "x", "v", "5", "w", "10ms");
    add(A, 2, "x", "v", "50", "w", "1s");
    add(A, 3, "x", "v", "7", "w", "oops");
    assertThat(instant("sum_over_time({app=\"a\"} | unwrap v | v > 6 [5s])", 5)).containsExactly(
        "{app=\"a\", level=\"info\", w=\"1s\"}=50", "{app=\"a\", level=\"info\", w=\"oops\"}=7");
    assertThat(instant("sum_over_time({app=\"a\"} | unwrap v | w > 100ms | __error__=\"\" [5s])", 5)).containsExactly(
        "{app=\"a\", level=\"info\", w=\"1s\"}=50");
  }

  @Test
  void absentOverTimeLabelsComeFromEqualityMatchersUsedOnce() {
    add(A, 1, "x");
    assertThat(instant("absent_over_time({app=\"zzz\", env=~\"x\"}[1m])", 5)).containsExactly("{app=\"zzz\"}=1");
    assertThat(instant("absent_over_time({app=\"zzz\", app!=\"b\"}[1m])", 5)).containsExactly("{}=1");
    assertThat(instant("absent_over_time({app=\"a\"}[1m])", 5)).isEmpty();
    assertThat(range("absent_over_time({app=\"a\"}[2s])", 0, 6, 2)).containsExactly(
        Map.entry("{app=\"a\"}", List.of("0:1", "4:1", "6:1")));
  }

  private void threeSeries() {
    add(A, 1, "x");
    add(A, 2, "x");
    add(A, 3, "x");
    add(A_ERR, 1, "x");
    add(BB, 1, "x");
    add(BB, 2, "x");
  }

  @Test
  void vectorAggregations() {
    threeSeries(); // counts over [5s] at 5: a/info 3, a/error 1, b/info 2
    String c = "count_over_time({app=~\"a|b\"}[5s])";
    assertThat(instant("sum by (app) (" + c + ")", 5)).containsExactly("{app=\"a\"}=4", "{app=\"b\"}=2");
    assertThat(instant("sum without (level) (" + c + ")", 5)).containsExactly("{app=\"a\"}=4", "{app=\"b\"}=2");
    assertThat(instant("sum(" + c + ")", 5)).containsExactly("{}=6");
    assertThat(instant("avg(" + c + ")", 5)).containsExactly("{}=2");
    assertThat(instant("min by (level) (" + c + ")", 5)).containsExactly("{level=\"error\"}=1", "{level=\"info\"}=2");
    assertThat(instant("max(" + c + ")", 5)).containsExactly("{}=3");
    assertThat(instant("count(" + c + ")", 5)).containsExactly("{}=3");
    // population variance of 3,1,2 = 2/3
    assertThat(instant("stdvar(" + c + ")", 5)).containsExactly("{}=0.6666666666666666");
    assertThat(instant("stddev(" + c + ")", 5)).containsExactly("{}=0.816496580927726");
    assertThat(instant("topk(1, " + c + ")", 5)).containsExactly("{app=\"a\", level=\"info\"}=3");
    assertThat(instant("bottomk(2, " + c + ")", 5)).containsExactly("{app=\"a\", level=\"error\"}=1", "{app=\"b\", level=\"info\"}=2");
    assertThat(instant("topk by (app) (1, " + c + ")", 5)).containsExactly("{app=\"a\", level=\"info\"}=3", "{app=\"b\", level=\"info\"}=2");
    assertThat(instant("sort(" + c + ")", 5)).containsExactly(
        "{app=\"a\", level=\"error\"}=1", "{app=\"b\", level=\"info\"}=2", "{app=\"a\", level=\"info\"}=3");
    assertThat(instant("sort_desc(" + c + ")", 5)).containsExactly(
        "{app=\"a\", level=\"info\"}=3", "{app=\"b\", level=\"info\"}=2", "{app=\"a\", level=\"error\"}=1");
  }

  @Test
  void binaryOperators() {
    threeSeries();
    String c = "count_over_time({app=~\"a|b\"}[5s])";
    assertThat(instant(c + " * 2", 5)).containsExactly("{app=\"a\", level=\"error\"}=2", "{app=\"a\", level=\"info\"}=6", "{app=\"b\", level=\"info\"}=4");
    assertThat(instant("10 - " + c, 5)).containsExactly("{app=\"a\", level=\"error\"}=9", "{app=\"a\", level=\"info\"}=7", "{app=\"b\", level=\"info\"}=8");
    assertThat(instant(c + " > 1", 5)).containsExactly("{app=\"a\", level=\"info\"}=3", "{app=\"b\", level=\"info\"}=2");
    assertThat(instant(c + " > bool 1", 5)).containsExactly("{app=\"a\", level=\"error\"}=0", "{app=\"a\", level=\"info\"}=1", "{app=\"b\", level=\"info\"}=1");
    assertThat(instant("2 < " + c, 5)).containsExactly("{app=\"a\", level=\"info\"}=3");
    assertThat(instant(c + " / " + c, 5)).containsExactly("{app=\"a\", level=\"error\"}=1", "{app=\"a\", level=\"info\"}=1", "{app=\"b\", level=\"info\"}=1");
    // many-to-one: each series over its app's total
    assertThat(instant(c + " / on (app) group_left sum by (app) (" + c + ")", 5)).containsExactly(
        "{app=\"a\", level=\"error\"}=0.25", "{app=\"a\", level=\"info\"}=0.75", "{app=\"b\", level=\"info\"}=1");
    assertThat(instant("sum by (app) (" + c + ") * on (app) group_right " + c, 5)).containsExactly(
        "{app=\"a\", level=\"error\"}=4", "{app=\"a\", level=\"info\"}=12", "{app=\"b\", level=\"info\"}=4");
    assertThat(instant("sum by (app) (" + c + ") + ignoring (level) group_right (app) " + c, 5)).hasSize(3);
    assertThat(instant("sum by (level) (" + c + ") == on () group_left max(" + c + ")", 5)).isEmpty();
    assertThat(instant("sum by (level) (" + c + ") >= on () group_left max(" + c + ")", 5)).containsExactly("{level=\"info\"}=5");
    assertThatThrownBy(() -> instant(c + " / on (app) sum by (app) (" + c + ")", 5))
        .isInstanceOf(MetricEvaluationException.class)
        .hasMessage("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
    assertThat(instant(c + " and on (level) sum by (level) (count_over_time({app=\"b\"}[5s]))", 5))
        .containsExactly("{app=\"a\", level=\"info\"}=3", "{app=\"b\", level=\"info\"}=2");
    assertThat(instant(c + " unless on (level) sum by (level) (count_over_time({app=\"b\"}[5s]))", 5))
        .containsExactly("{app=\"a\", level=\"error\"}=1");
    assertThat(instant("sum by (level) (" + c + ") or sum by (app) (" + c + ")", 5))
        .containsExactly("{app=\"a\"}=4", "{app=\"b\"}=2", "{level=\"error\"}=1", "{level=\"info\"}=5");
  }

  @Test
  void literalsVectorsAndFunctions() {
    assertThat(instant("vector(1) + vector(1)", 5)).containsExactly("{}=2");
    assertThat(instant("1 + 1", 5)).containsExactly("scalar=2");
    assertThat(instant("vector(1) / 0", 5)).containsExactly("{}=NaN");
    assertThat(instant("vector(5) % 0", 5)).containsExactly("{}=NaN");
    assertThat(instant("1 < vector(5)", 5)).containsExactly("{}=5");
    assertThat(instant("vector(2) ^ 10", 5)).containsExactly("{}=1024");
    assertThat(range("3 * 2", 0, 120, 60)).containsExactly(Map.entry("{}", List.of("0:6", "60:6", "120:6")));
    assertThat(range("vector(0.5)", 0, 60, 60)).containsExactly(Map.entry("{}", List.of("0:0.5", "60:0.5")));
    threeSeries();
    assertThat(instant("label_replace(count_over_time({app=\"b\"}[5s]), \"dst\", \"$1-${2}x$$\", \"level\", \"(i)(n).*\")", 5))
        .containsExactly("{app=\"b\", dst=\"i-nx$\", level=\"info\"}=2");
    assertThat(instant("label_replace(count_over_time({app=\"b\"}[5s]), \"app\", \"\", \"level\", \"info\")", 5))
        .containsExactly("{level=\"info\"}=2");
    assertThat(instant("label_replace(count_over_time({app=\"b\"}[5s]), \"dst\", \"$1\", \"level\", \"nomatch\")", 5))
        .containsExactly("{app=\"b\", level=\"info\"}=2");
  }

  @Test
  void seriesLimitCountsUniqueResultSeries() {
    threeSeries();
    maxSeries = 2;
    assertThatThrownBy(() -> instant("count_over_time({app=~\"a|b\"}[5s])", 5))
        .isInstanceOf(BadQueryException.class).hasMessage("maximum of series (2) reached for a single query");
    assertThatThrownBy(() -> range("count_over_time({app=~\"a|b\"}[1s])", 0, 10, 1))
        .hasMessage("maximum of series (2) reached for a single query");
    assertThat(instant("sum by (app) (count_over_time({app=~\"a|b\"}[5s]))", 5)).hasSize(2);
  }

  @Test
  void sumOfRatesDividesThePooledCountOnce() {
    // Loki groups an outer sum's samples at extraction: (1+2)/10 = 0.3, not 1/10 + 2/10 = 0.30000000000000004
    add(A, 1, "x");
    add(A_ERR, 1, "x");
    add(A_ERR, 2, "x");
    assertThat(instant("sum by (app) (rate({app=\"a\"}[10s]))", 10)).containsExactly("{app=\"a\"}=0.3");
    assertThat(instant("sum by (app) (rate({app=\"a\"}[10s]) * 1)", 10)).containsExactly("{app=\"a\"}=0.30000000000000004");
  }

  @Test
  void queriesPastTheTimeoutFailWith504() {
    for (int i = 0; i < 5000; i++) add(A, i / 100, "x");
    MetricEngine engine = new MetricEngine(new MemoryLogReader(entries), 0, java.time.Duration.ofNanos(1));
    SampleExpr expr = (SampleExpr) LogqlParser.parse("count_over_time({app=\"a\"}[1m])");
    assertThatThrownBy(() -> engine.evaluate("t", expr, StepGrid.instant((B + 60) * S), true, new QueryStats()))
        .isInstanceOfSatisfying(MetricEvaluationException.class, e -> assertThat(e.status()).isEqualTo(504))
        .hasMessage("Request timed out, decrease the duration of the request or add more label matchers "
            + "(prefer exact match over regex match) to reduce the amount of data processed.");
    assertThatThrownBy(() -> engine.evaluate("t", (SampleExpr) LogqlParser.parse("vector(1)"),
        StepGrid.aligned(B * S, (B + 60) * S, S), false, new QueryStats())).isInstanceOf(MetricEvaluationException.class);
  }
}
