package io.lodge.querier.api;

import io.lodge.ingester.Ingester;
import io.lodge.ingester.PushOutcome;
import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.lodge.ingester.read.Direction;
import io.lodge.ingester.read.EntryIterator;
import io.lodge.ingester.read.IndexStats;
import io.lodge.ingester.read.LogReader;
import io.lodge.ingester.read.ReadHints;
import io.lodge.ingester.read.SelectRequest;
import io.lodge.ingester.testing.TestIngesters;
import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ast.LogQuery;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pushing line filters down to the store changes no result: loghub lines of three systems in a real
 * {@link Ingester} (small blocks, half flushed to chunks, half in the head), queried through
 * {@link LogQueryExecutor} with the store seeing the filters' literals and, as the oracle, through a
 * reader that drops every hint before the store sees it. Literals are whole words, fragments of words,
 * spans across words, a needle in one line, and absent strings; queries mix filters with parsers and
 * {@code line_format} (after which nothing may be pushed down).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FilterPushdownTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = (Instant.now().getEpochSecond() - 3600) * SECOND;
  private static final String[] SYSTEMS = {"OpenSSH_2k.log", "HDFS_2k.log", "Apache_2k.log"};
  private static final String NEEDLE = "needle5e1f0c";

  private Ingester ingester;
  private final List<String> allLines = new ArrayList<>();
  private final AtomicReference<ReadHints> lastHints = new AtomicReference<>();

  @BeforeAll
  void load(@TempDir Path dir) throws Exception {
    // 8 KiB blocks: many blocks per stream, so token filters have something to rule out
    ingester = new Ingester(TestIngesters.smallBlocks(dir, 64 * 1024, 8 * 1024), new PrometheusRegistry());
    ingester.start();
    for (int half = 0; half < 2; half++) {
      List<PushStream> streams = new ArrayList<>();
      for (int s = 0; s < SYSTEMS.length; s++) {
        List<String> lines = Files.readAllLines(io.lodge.ingester.testing.LoghubData.file(SYSTEMS[s])).subList(half * 400, half * 400 + 400);
        List<LogEntry> entries = new ArrayList<>();
        for (int k = 0; k < lines.size(); k++) {
          String l = lines.get(k);
          if (s == 1 && half == 0 && k == 123) l = l + " " + NEEDLE + " found";
          allLines.add(l);
          entries.add(LogEntry.of(T0 + (half * 400 + k) * SECOND + s, l));
        }
        streams.add(new PushStream(LabelSet.of("app", SYSTEMS[s].replace("_2k.log", ""), "job", "pd"), entries));
      }
      PushOutcome o = ingester.pushService().push("t", new PushRequest(streams)).get();
      assertThat(o.status()).as(o.toString()).isEqualTo(204);
      if (half == 0) ingester.flushAll();
    }
  }

  @AfterAll
  void close() {
    if (ingester != null) ingester.close();
  }

  /** The reader that records the hints it was given and passes them on. */
  private LogReader recording() {
    return new Forwarding(ingester.reader(), h -> {
      lastHints.set(h);
      return h;
    });
  }

  /** The oracle: the store never sees a hint. */
  private LogReader withoutHints() {
    return new Forwarding(ingester.reader(), h -> ReadHints.NONE);
  }

  private String result(LogReader reader, String query, Direction dir, int limit) {
    LogQuery q = (LogQuery) LogqlParser.parse(query);
    LogQueryParams p = new LogQueryParams(query, new TimeRange(T0 - SECOND, T0 + 3600 * SECOND), limit, dir);
    String json = new String(new LogQueryExecutor().execute(reader, "t", q, p, false), StandardCharsets.UTF_8);
    // the statistics (times, bytes read) may differ; the result may not
    int start = json.indexOf("\"result\":");
    int end = json.indexOf(",\"stats\":");
    assertThat(start).isGreaterThanOrEqualTo(0);
    assertThat(end).isGreaterThan(start);
    return json.substring(start, end);
  }

  private void same(String query, Direction dir, int limit) {
    String pushed = result(recording(), query, dir, limit);
    assertThat(pushed).as(query).isEqualTo(result(withoutHints(), query, dir, limit));
  }

  @Test
  void randomLiteralFiltersGiveTheSameResultAsWithoutPushdown() {
    Random r = new Random(42);
    List<String> literals = new ArrayList<>(List.of(NEEDLE, " " + NEEDLE + " ", "eedle5e1", "absent-zz", "INFO", "error",
        "Failed password", "rror", "]: ", "block"));
    for (int k = 0; k < 40; k++) {
      String line = allLines.get(r.nextInt(allLines.size()));
      int a = r.nextInt(line.length()), b = Math.min(line.length(), a + 1 + r.nextInt(20));
      literals.add(line.substring(a, b));
    }
    for (String lit : literals) {
      String q = "{job=\"pd\"} |= \"" + lit.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
      Direction dir = r.nextBoolean() ? Direction.FORWARD : Direction.BACKWARD;
      same(q, dir, 1 + r.nextInt(3000));
      assertThat(lastHints.get().requiredLiterals()).hasSize(1);
    }
  }

  @Test
  void theNeedleIsFoundAndBlocksWithoutItAreSkipped() {
    String q = "{job=\"pd\"} |= \" " + NEEDLE + " \"";
    String res = result(recording(), q, Direction.BACKWARD, 100);
    assertThat(res).contains(NEEDLE).contains("\"app\":\"HDFS\"");
    same(q, Direction.FORWARD, 100);
  }

  @Test
  void filtersAfterStagesThatRewriteTheLineAreNotPushed() {
    for (String q : List.of(
        "{job=\"pd\"} |= \"INFO\" |= \"block\" | logfmt",
        "{job=\"pd\"} |~ \"error\" != \"xyz\"",
        "{job=\"pd\"} | line_format \"{{.app}} INFO\" |= \"INFO\"",
        "{job=\"pd\"} |= \"Failed\" or \"Accepted\"",
        "{job=\"pd\"} |~ \"(?i)error\"",
        "{job=\"pd\"} != \"INFO\"")) {
      same(q, Direction.BACKWARD, 500);
    }
    result(recording(), "{job=\"pd\"} | line_format \"{{.app}} INFO\" |= \"INFO\"", Direction.FORWARD, 10);
    assertThat(lastHints.get().requiredLiterals()).isEmpty();
    result(recording(), "{job=\"pd\"} |= \"INFO\" |= \"block\" | logfmt", Direction.FORWARD, 10);
    assertThat(lastHints.get().requiredLiterals()).hasSize(2);
  }

  @Test
  void linesTheStoreDropsStillCountAsProcessed() {
    String q = "{job=\"pd\"} |= \"absent-zz\"";
    for (LogReader reader : List.of(recording(), withoutHints())) {
      LogQuery lq = (LogQuery) LogqlParser.parse(q);
      LogQueryParams p = new LogQueryParams(q, new TimeRange(T0 - SECOND, T0 + 3600 * SECOND), 100, Direction.FORWARD);
      String json = new String(new LogQueryExecutor().execute(reader, "t", lq, p, false), StandardCharsets.UTF_8);
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"totalLinesProcessed\":(\\d+)").matcher(json);
      assertThat(m.find()).as(json).isTrue();
      assertThat(Long.parseLong(m.group(1))).as(json).isEqualTo(allLines.size());
      java.util.regex.Matcher b = java.util.regex.Pattern.compile("\"totalBytesProcessed\":(\\d+)").matcher(json);
      assertThat(b.find()).as(json).isTrue();
      long bytes = 0;
      for (String l : allLines) bytes += l.getBytes(StandardCharsets.UTF_8).length;
      assertThat(Long.parseLong(b.group(1))).as(json).isEqualTo(bytes);
    }
  }

  /** A metric result and its processed lines and bytes, as text to compare. */
  private String metric(LogReader reader, String query, io.lodge.querier.metric.StepGrid grid, boolean instant,
      int parallelism) throws Exception {
    QueryStats stats = new QueryStats();
    io.lodge.querier.metric.MetricResult r;
    try (io.lodge.querier.metric.MetricEngine engine =
        new io.lodge.querier.metric.MetricEngine(reader, 10_000, Duration.ofMinutes(1), parallelism)) {
      r = engine.evaluate("t", (io.lodge.querier.logql.ast.SampleExpr) LogqlParser.parse(query), grid, instant, stats);
    }
    StringBuilder sb = new StringBuilder();
    if (r instanceof io.lodge.querier.metric.MetricResult.Matrix m) {
      for (var series : m.series()) {
        sb.append(series.labels()).append(java.util.Arrays.toString(series.timesMs()))
            .append(java.util.Arrays.toString(series.values())).append('\n');
      }
    } else {
      sb.append(r).append('\n');
    }
    java.io.StringWriter w = new java.io.StringWriter();
    try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(w)) {
      g.writeStartObject(); // write() emits the "stats" field inside an object
      stats.write(g);
      g.writeEndObject();
    }
    java.util.regex.Matcher lines = java.util.regex.Pattern.compile("\"totalLinesProcessed\":(\\d+)").matcher(w.toString());
    java.util.regex.Matcher bytes = java.util.regex.Pattern.compile("\"totalBytesProcessed\":(\\d+)").matcher(w.toString());
    assertThat(lines.find() && bytes.find()).as(w.toString()).isTrue();
    return sb.append("lines=").append(lines.group(1)).append(" bytes=").append(bytes.group(1)).toString();
  }

  @Test
  void metricQueriesGiveTheSameNumbersAndProcessedStatsWithPushdown() throws Exception {
    long minute = 60 * SECOND;
    var tiled = io.lodge.querier.metric.StepGrid.aligned(T0, T0 + 20 * minute, minute);
    var overlapping = io.lodge.querier.metric.StepGrid.aligned(T0, T0 + 20 * minute, 30 * SECOND);
    var instant = io.lodge.querier.metric.StepGrid.aligned(T0 + 25 * minute, T0 + 25 * minute, 0);
    List<String> queries = List.of(
        "sum(count_over_time({job=\"pd\"} |= \"INFO\" [1m]))",
        "sum by (app) (rate({job=\"pd\"} |= \"Failed password\" [1m]))",
        "sum by (app) (bytes_over_time({job=\"pd\"} |= \"block\" [1m]))",
        "count_over_time({job=\"pd\"} |= \"absent-zz\" [1m])",
        "sum by (app) (count_over_time({job=\"pd\"}[1m]))",
        "sum(count_over_time({job=\"pd\"} |= \" " + NEEDLE + " \" [30m]))");
    for (String q : queries) {
      // a block its token filter rules out is never decompressed: its lines are not "processed" (as in
      // Loki, whose bloom filters skip chunks), so only the needle query may count fewer
      boolean skipsBlocks = q.contains(NEEDLE);
      for (int parallelism : new int[] {1, 2}) {
        for (var grid : List.of(tiled, overlapping, instant)) {
          boolean isInstant = grid == instant;
          String pushed = metric(recording(), q, grid, isInstant, parallelism);
          String oracle = metric(withoutHints(), q, grid, isInstant, parallelism);
          String what = q + " step " + grid.stepNanos() + " x" + parallelism;
          if (!skipsBlocks) {
            assertThat(pushed).as(what).isEqualTo(oracle);
            continue;
          }
          assertThat(pushed.substring(0, pushed.indexOf("lines="))).as(what).isEqualTo(oracle.substring(0, oracle.indexOf("lines=")));
          assertThat(processedLines(pushed)).as(what).isLessThanOrEqualTo(processedLines(oracle));
        }
      }
    }
    metric(recording(), "sum(count_over_time({job=\"pd\"} |= \"INFO\" [1m]))", tiled, false, 1);
    assertThat(lastHints.get().requiredLiterals()).as("range equal to the step: pushed").hasSize(1);
    metric(recording(), "sum(count_over_time({job=\"pd\"}[1m]))", tiled, false, 1);
    assertThat(lastHints.get().needLines()).as("a count without stages reads no lines").isFalse();
  }

  private static long processedLines(String metricText) {
    int i = metricText.indexOf("lines=") + "lines=".length();
    return Long.parseLong(metricText.substring(i, metricText.indexOf(' ', i)));
  }

  /** A reader that rewrites the hints of each select and delegates everything. */
  private record Forwarding(LogReader base, java.util.function.UnaryOperator<ReadHints> hints) implements LogReader {
    @Override
    public EntryIterator select(SelectRequest request) {
      return base.select(request.withHints(hints.apply(request.hints())));
    }

    @Override
    public List<String> labelNames(String tenant, long from, long to, List<LabelMatcher> matchers) {
      return base.labelNames(tenant, from, to, matchers);
    }

    @Override
    public List<String> labelValues(String tenant, String name, long from, long to, List<LabelMatcher> matchers) {
      return base.labelValues(tenant, name, from, to, matchers);
    }

    @Override
    public List<LabelSet> series(String tenant, List<List<LabelMatcher>> selectors, long from, long to) {
      return base.series(tenant, selectors, from, to);
    }

    @Override
    public IndexStats stats(String tenant, List<LabelMatcher> matchers, long from, long to) {
      return base.stats(tenant, matchers, from, to);
    }
  }

}
