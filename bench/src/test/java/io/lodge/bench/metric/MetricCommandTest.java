package io.lodge.bench.metric;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.bench.BenchMain;
import io.lodge.bench.load.LoghubLines;
import io.lodge.querier.metric.MetricResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench metric} on a tiny dataset: the printed figures agree with each other and with the data
 * (the count query adds up to the entries pushed, the quantile to an oracle over the generated
 * latencies), and the dataset itself is what the spec says.
 */
class MetricCommandTest {
  @TempDir Path dir;

  @Test
  void commandPrintsConsistentFigures() {
    StringWriter text = new StringWriter();
    CommandLine cl = BenchMain.commandLine();
    cl.setOut(new PrintWriter(text));
    int code = cl.execute("metric", "--streams", "7", "--entries-per-stream", "1500", "--span", "30m", "--runs", "2",
        "--lanes", "3", "--dir", dir.resolve("data").toString());
    String out = text.toString();
    assertThat(code).as(out).isZero();
    assertThat(out).contains("loading 10,500 entries (7 streams x 1,500)").contains("grid: 31 steps");
    Pattern row = Pattern.compile("(?m)^(count|quantile)\\s+(cold|warm1)\\s+([\\d.]+) s\\s+([\\d.]+) s\\s+([\\d.]+) s"
        + "\\s+([\\d,]+)\\s+([\\d,]+|NaN)\\s+([\\d,]+|NaN)\\s+[\\d.]+\\s+[\\d.]+\\s+(\\d+)\\s+(\\d+)\\s+([\\d,.]+)\\s+[\\d.]+\\s+[\\d.]+ s$");
    Matcher m = row.matcher(out);
    List<String> totals = new ArrayList<>();
    int rows = 0;
    while (m.find()) {
      rows++;
      double wall = Double.parseDouble(m.group(3));
      long perSecond = Long.parseLong(m.group(6).replace(",", ""));
      // entries/s is the entries over the wall time (the printed wall time is rounded to 10 ms)
      if (wall >= 0.05) assertThat(perSecond).isBetween((long) (10_500 / (wall + 0.006)), (long) (10_500 / (wall - 0.006)));
      assertThat(m.group(9)).as("one series: grouped by job").isEqualTo("1");
      assertThat(Integer.parseInt(m.group(10))).isBetween(30, 31);
      if (m.group(1).equals("count")) {
        assertThat(m.group(11)).isEqualTo("10,500.000");
        assertThat(m.group(10)).isEqualTo("31"); // every minute holds entries
      }
      totals.add(m.group(1) + "=" + m.group(11));
    }
    assertThat(rows).as(out).isEqualTo(4);
    assertThat(totals.get(0)).isEqualTo(totals.get(1));
    assertThat(totals.get(2)).isEqualTo(totals.get(3));
    assertThat(out).doesNotContain("INCONSISTENT");
  }

  @Test
  void serialAndParallelEvaluationGiveTheSameTotals() {
    StringWriter text = new StringWriter();
    CommandLine cl = BenchMain.commandLine();
    cl.setOut(new PrintWriter(text));
    int code = cl.execute("metric", "--streams", "5", "--entries-per-stream", "1000", "--span", "30m", "--runs", "1",
        "--parallelism", "1,3", "--dir", dir.resolve("p").toString());
    String out = text.toString();
    assertThat(code).as(out).isZero();
    assertThat(out).contains("parallelism 1").contains("parallelism 3").doesNotContain("INCONSISTENT");
    Matcher m = Pattern.compile("(?m)^(count|quantile|instant)\\s+cold\\s.*\\s([\\d,.]+)\\s+[\\d.]+\\s+[\\d.]+ s$").matcher(out);
    List<String> totals = new ArrayList<>();
    while (m.find()) totals.add(m.group(1) + "=" + m.group(2));
    assertThat(totals).as(out).hasSize(6);
    assertThat(totals.get(0)).isEqualTo("count=5,000.000");
    assertThat(totals.get(2)).isEqualTo("instant=5,000.000");
    assertThat(totals.subList(3, 6)).isEqualTo(totals.subList(0, 3));
  }

  @Test
  void quantileMatchesAnOracleOverTheGeneratedLatencies() {
    LoghubLines data = LoghubLines.load(LoghubLines.locate(null));
    MetricDataset.Spec spec = new MetricDataset.Spec(3, 600, TimeUnit.MINUTES.toNanos(10), 5, 2, false);
    try (MetricDataset ds = MetricDataset.build(spec, data, dir.resolve("q"))) {
      MetricQueries q = new MetricQueries(ds, TimeUnit.MINUTES.toNanos(1));
      MetricResult.Matrix m = (MetricResult.Matrix) q.evaluate(MetricQueries.parse(
          "quantile_over_time(0.5, {job=\"lodge-bench\"} | logfmt | unwrap duration(latency) | __error__=\"\" [1m]) by (job)"));
      assertThat(m.series()).hasSize(1);
      MetricResult.Series s = m.series().get(0);
      // the oracle: regenerate every stream's latencies, bucket them into the left-open minute windows
      long step = spec.spanNanos() / spec.entriesPerStream();
      List<List<Double>> windows = new ArrayList<>();
      for (int k = 0; k < s.size(); k++) windows.add(new ArrayList<>());
      for (int i = 0; i < spec.streams(); i++) {
        SplittableRandom r = new SplittableRandom(spec.seed() * 1_000_003L + i);
        byte[][] pool = data.lines(i % data.systemCount());
        for (int j = 0; j < spec.entriesPerStream(); j++) {
          byte[] line = pool[r.nextInt(pool.length)];
          int ms = MetricDataset.latencyMillis(r);
          assertThat(new String(MetricDataset.line(line, ms), StandardCharsets.UTF_8)).endsWith(" latency=" + ms + "ms");
          long ts = MetricDataset.START_NANOS + j * step + i;
          long minute = TimeUnit.MINUTES.toNanos(1);
          int k = (int) Math.ceilDiv(ts - MetricDataset.START_NANOS, minute); // window (t-1m, t] of grid point k
          windows.get(k).add(ms / 1000.0);
        }
      }
      for (int k = 0; k < s.size(); k++) {
        List<Double> w = windows.get(k);
        w.sort(null);
        // Prometheus' quantile: linear interpolation at rank q*(n-1)
        double rank = 0.5 * (w.size() - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(w.size() - 1, lo + 1);
        double expected = w.get(lo) + (w.get(hi) - w.get(lo)) * (rank - lo);
        assertThat(s.values()[k]).as("point %d", k).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
      }
    }
  }
}
