package io.lodge.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.config.ConfigLoader;
import io.lodge.config.LodgeConfig;
import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.read.Direction;
import io.lodge.ingester.read.EntryIterator;
import io.lodge.ingester.read.SelectRequest;
import io.lodge.server.LodgeServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator against a real in-process Lodge server on port 0: every push is acknowledged, the
 * server holds exactly the acknowledged lines, they are queryable over HTTP, and an open-loop run sends
 * the requested rate.
 */
class IngestRunTest {
  private static final LoghubLines DATA = LoghubLines.load(LoghubLines.locate(null));

  @TempDir Path dir;
  private LodgeServer server;

  @BeforeEach
  void start() throws Exception {
    String yaml = """
        auth_enabled: false
        server:
          http_listen_address: 127.0.0.1
          http_listen_port: 0
          grpc_listen_port: 0
        common:
          path_prefix: %s
        limits_config:
          ingestion_rate_mb: 100000
          ingestion_burst_size_mb: 100000
          per_stream_rate_limit: 10GB
          per_stream_rate_limit_burst: 10GB
        """.formatted(dir.resolve("data"));
    LodgeConfig config = ConfigLoader.fromYaml(yaml, "test.yaml").config();
    server = new LodgeServer(config);
    server.start();
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private IngestOptions options(long rate, Duration duration) {
    return options(rate, Duration.ZERO, duration, false);
  }

  private IngestOptions options(long rate, Duration warmup, Duration duration, boolean preEncode) {
    return options(rate, warmup, duration, preEncode, Duration.ZERO);
  }

  private IngestOptions options(long rate, Duration warmup, Duration duration, boolean preEncode, Duration scrapeInterval) {
    return new IngestOptions(URI.create("http://127.0.0.1:" + server.httpPort()), 50, 500, 5, warmup, duration, rate, 2, 2,
        null, 42, null, ProcessHandle.current().pid(), false, preEncode, scrapeInterval, true);
  }

  private long storedLines() {
    long n = 0;
    try (EntryIterator it = server.ingester().reader().select(new SelectRequest("fake",
        List.of(LabelMatcher.eq("job", "lodge-bench")), 0, Long.MAX_VALUE, Direction.FORWARD))) {
      while (it.next()) n++;
    }
    return n;
  }

  @Test
  void closedLoopPushesAreAcknowledgedAndQueryable() throws Exception {
    IngestResult r = new IngestRun(options(0, Duration.ofSeconds(2)), DATA, null).run();
    assertThat(r.ackedLines()).isPositive();
    assertThat(r.errors()).isZero();
    assertThat(r.statusCounts()).containsOnlyKeys(204);
    assertThat(r.ackedLines()).isEqualTo(r.pushes() * 500);
    assertThat(r.p50Micros()).isPositive().isLessThanOrEqualTo(r.p99Micros());
    assertThat(r.serverRssBytes()).isPositive(); // the server runs in this JVM, named by --pid
    // the server's push workers (in this JVM) used CPU, and the summary names them
    assertThat(r.serverThreadCpu()).containsKey("lodge-push");
    assertThat(r.serverThreadCpu().values().stream().mapToDouble(Double::doubleValue).sum())
        .isLessThanOrEqualTo(r.serverCpuSeconds() + 0.05);
    assertThat(r.details()).contains("server     CPU by thread:").contains("lodge-push");
    // the server's /metrics shows its JVM's collectors; the summary lists what they did during the run
    assertThat(r.serverGc()).isNotEmpty().allSatisfy(c -> assertThat(c.count()).isNotNegative());
    assertThat(r.details()).contains("server     GC during the run: " + r.serverGc().get(0).name());
    // and its seal counters, by where, whether or not a block filled in these two seconds
    assertThat(r.serverSeals()).extracting(ServerSeals.Where::name).containsExactlyInAnyOrder("sealer", "push", "flush");
    // and its WAL syncs (sync is on by default): one per group commit of the run's pushes
    assertThat(r.serverWalSyncs().count()).isPositive();
    assertThat(r.details()).containsPattern("server     WAL fsyncs during the run: [0-9,]+ syncs \\([0-9,]+ a second\\), "
        + "[0-9.]+ ms mean, p99 [0-9.]+ ms, [0-9.]+% over 10 ms");
    assertThat(storedLines()).isEqualTo(r.ackedLines());

    String q = URLEncoder.encode("{instance=\"s00003\"}", StandardCharsets.UTF_8);
    long now = System.currentTimeMillis() * 1_000_000L;
    HttpResponse<String> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.httpPort() + "/loki/api/v1/query_range?query=" + q + "&limit=10&start=" + (now - 600_000_000_000L)
        + "&end=" + (now + 60_000_000_000L))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.body()).contains("\"app\":\"" + DATA.system(3) + "\"").containsPattern(" req=[0-9a-f]{8}\"");
  }

  @Test
  void scrapesTheServersMetricsThroughoutTheRun() throws Exception {
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    IngestResult r = new IngestRun(options(10_000, Duration.ZERO, Duration.ofMillis(1500), false, Duration.ofMillis(200)),
        DATA, new PrintStream(report, true, StandardCharsets.UTF_8)).run();
    assertThat(r.errors()).isZero();
    Matcher line = Pattern.compile(
        "server     /metrics scraped every 0\\.2s during the run, as a Prometheus would: (\\d+) answered\n")
        .matcher(report.toString(StandardCharsets.UTF_8));
    assertThat(line.find()).as(report.toString(StandardCharsets.UTF_8)).isTrue();
    long answered = Long.parseLong(line.group(1));
    assertThat(answered).isGreaterThanOrEqualTo(2); // at the start and 200 ms later, well inside 1.5 s
    // the server served them: its own request counter holds every scrape and the two around the window
    String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    Matcher served = Pattern.compile(
        "lodge_request_duration_seconds_count\\{method=\"GET\",route=\"/metrics\",status_code=\"200\"\\} (\\S+)")
        .matcher(metrics);
    assertThat(served.find()).as(metrics).isTrue();
    assertThat((long) Double.parseDouble(served.group(1))).isGreaterThanOrEqualTo(answered + 2);
  }

  @Test
  void openLoopSendsTheRequestedRate() throws Exception {
    // 10,000 lines/s in pushes of 500: one push due every 50 ms, 30 in 1.5 s
    IngestResult r = new IngestRun(options(10_000, Duration.ofMillis(1500)), DATA, null).run();
    assertThat(r.errors()).isZero();
    assertThat(r.pushes()).isEqualTo(30);
    assertThat(storedLines()).isEqualTo(15_000);
  }

  @Test
  void preEncodedRunWithoutWarmupSendsTheRateWithBodiesStampedOneIntervalApart() throws Exception {
    long before = System.currentTimeMillis() * 1_000_000L;
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    IngestResult r = new IngestRun(options(10_000, Duration.ZERO, Duration.ofMillis(1500), true), DATA,
        new PrintStream(report, true, StandardCharsets.UTF_8)).run();
    long after = System.currentTimeMillis() * 1_000_000L;
    assertThat(r.errors()).isZero();
    assertThat(r.pushes()).isEqualTo(30);
    assertThat(storedLines()).isEqualTo(15_000);
    assertThat(report.toString(StandardCharsets.UTF_8)).contains("the measured window's 30 bodies were encoded before the clock started");
    assertThat(report.toString(StandardCharsets.UTF_8)).containsPattern("machine    a fixed single-thread loop \\([0-9,]+ rounds\\): [0-9,]+ ms CPU");
    // stamped from the wall clock when the encoding began (no warmup to encode in), one push due every 50 ms
    long[] range = timeRange();
    assertThat(range[0]).isBetween(before, after);
    assertThat(range[1] - range[0]).isBetween(29 * 50_000_000L, 30 * 50_000_000L);
  }

  @Test
  void preEncodingDuringAPacedWarmupSendsTheRate() throws Exception {
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    IngestResult r = new IngestRun(options(10_000, Duration.ofSeconds(2), Duration.ofMillis(1500), true), DATA,
        new PrintStream(report, true, StandardCharsets.UTF_8)).run();
    assertThat(r.errors()).isZero();
    assertThat(r.pushes()).isEqualTo(30);
    assertThat(report.toString(StandardCharsets.UTF_8)).containsPattern("the measured window's 30 bodies were encoded [0-9.]+ s into the 2 s warmup");
    // the warmup pushed too, at most at the rate (40 pushes in 2 s)
    assertThat(storedLines()).isGreaterThan(15_000).isLessThanOrEqualTo(15_000 + 41 * 500);
  }

  @Test
  void preEncodingNeedsARate() {
    assertThatThrownBy(() -> options(0, Duration.ZERO, Duration.ofSeconds(1), true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--pre-encode needs --rate");
  }

  private long[] timeRange() {
    long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
    try (EntryIterator it = server.ingester().reader().select(new SelectRequest("fake",
        List.of(LabelMatcher.eq("job", "lodge-bench")), 0, Long.MAX_VALUE, Direction.FORWARD))) {
      while (it.next()) {
        min = Math.min(min, it.timestampNanos());
        max = Math.max(max, it.timestampNanos());
      }
    }
    return new long[] {min, max};
  }
}
