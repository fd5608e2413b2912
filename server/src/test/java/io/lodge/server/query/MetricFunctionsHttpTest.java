package io.lodge.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lodge.config.ConfigLoader;
import io.lodge.config.LodgeConfig;
import io.lodge.ingester.testing.LoghubData;
import io.lodge.server.LodgeServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every LogQL range function over HTTP: logfmt renderings of loghub HDFS lines pushed through the real push
 * API of an in-process {@link LodgeServer}, then {@code query_range} and {@code query} over HTTP, each answer
 * compared with {@link NaiveRangeEvaluator}, which rescans all pushed entries for every step.
 */
class MetricFunctionsHttpTest {
  private static final long S = 1_000_000_000L;
  /** An hour boundary three hours ago: old enough to be history, young enough for the default limits. */
  private static final long BASE = (Instant.now().getEpochSecond() / 3600 - 3) * 3600 * S;
  private static final int LINES = 300;

  @TempDir static Path dir;
  private static LodgeServer lodge;
  private static final HttpClient http = HttpClient.newHttpClient();
  private static final List<NaiveRangeEvaluator.Entry> pushed = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    String yaml = """
        auth_enabled: false
        server:
          http_listen_address: 127.0.0.1
          http_listen_port: 0
          grpc_listen_port: 0
        common:
          path_prefix: %s
        limits_config:
          discover_log_levels: false
          discover_service_name: []
          reject_old_samples: false
        """.formatted(dir.resolve("data"));
    LodgeConfig config = ConfigLoader.fromYaml(yaml, "test.yaml").config();
    lodge = new LodgeServer(config);
    lodge.start();

    List<String> hdfs = LoghubData.lines("HDFS_2k.log").subList(0, LINES);
    for (int i = 0; i < hdfs.size(); i++) {
      // "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block ..."
      String[] f = hdfs.get(i).split(" ", 6);
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("level", f[3]);
      fields.put("comp", f[4].substring(0, f[4].length() - 1));
      // Decimal fractions that are not exact in binary, so sums are real float sums.
      // Some entries have no latency or an empty one: they yield no sample for unwrap latency.
      fields.put("latency", i % 17 == 5 ? null : i % 23 == 7 ? "" : f[2] + "." + (i * 7 % 10));
      if (fields.get("latency") == null) fields.remove("latency");
      // Both humanize units: KB = 1000 bytes, KiB = 1024 bytes.
      fields.put("size", (f[5].length() % 40 + 1) + (i % 2 == 0 ? "KB" : "KiB"));
      StringBuilder line = new StringBuilder();
      fields.forEach((k, v) -> line.append(line.isEmpty() ? "" : " ").append(k).append('=').append(v));
      // Every 4th entry sits exactly on a 6 s multiple (so on window edges of the 30 s/47 s grids and of the
      // instant times below), the other even ones 1 ns either side of one, the odd ones off by sub-ms jitter:
      // window edges are decided at nanosecond precision.
      long ts = BASE + i * 1_500_000_000L
          + (i % 2 == 1 ? (i * 7919L % 1000) * 1000 : i % 4 == 0 ? 0 : i % 8 == 2 ? 1 : -1);
      Map<String, String> stream = new TreeMap<>(Map.of("app", "hdfs", "host", i % 3 == 0 ? "b" : "a"));
      pushed.add(new NaiveRangeEvaluator.Entry(stream, ts, line.toString(), fields));
    }
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lodge.httpPort()
        + "/loki/api/v1/push")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(pushBody())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
  }

  @AfterAll
  static void stop() {
    if (lodge != null) lodge.close();
  }

  private static byte[] pushBody() throws IOException {
    Map<Map<String, String>, List<NaiveRangeEvaluator.Entry>> streams = new LinkedHashMap<>();
    for (NaiveRangeEvaluator.Entry e : pushed) streams.computeIfAbsent(e.stream(), k -> new ArrayList<>()).add(e);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("streams");
      for (var s : streams.entrySet()) {
        g.writeStartObject();
        g.writeObjectFieldStart("stream");
        for (var l : s.getKey().entrySet()) g.writeStringField(l.getKey(), l.getValue());
        g.writeEndObject();
        g.writeArrayFieldStart("values");
        for (NaiveRangeEvaluator.Entry e : s.getValue()) {
          g.writeStartArray();
          g.writeString(Long.toString(e.ts()));
          g.writeString(e.line());
          g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  private static final Map<String, String> ALL = Map.of("app", "hdfs");
  private static final Set<String> NONE = Set.of();
  private static final Set<String> SIZE = Set.of("size");
  private static final Set<String> LATENCY = Set.of("latency");

  private static NaiveRangeEvaluator.Query q(String fn, long range, String unwrap, Set<String> drop, List<String> by) {
    return new NaiveRangeEvaluator.Query(fn, Double.NaN, ALL, range, 0, unwrap != null, drop, unwrap, by);
  }

  /** One query per range function (and its grouped forms), each run as range and instant query. */
  static Stream<NaiveRangeEvaluator.Query> queries() {
    long m = 60 * S;
    List<String> byComp = List.of("comp");
    List<String> byLevelHost = List.of("level", "host");
    return Stream.of(
        q("count_over_time", m, null, NONE, null),
        q("rate", 2 * m, null, NONE, null),
        q("bytes_over_time", m, null, NONE, null),
        q("bytes_rate", 90 * S, null, NONE, null),
        q("absent_over_time", m, null, NONE, null),
        new NaiveRangeEvaluator.Query("absent_over_time", Double.NaN, Map.of("app", "hdfs", "host", "nope"),
            m, 0, false, NONE, null, null),
        new NaiveRangeEvaluator.Query("count_over_time", Double.NaN, Map.of("app", "hdfs", "host", "b"),
            m, m, false, NONE, null, null),
        q("rate", m, "latency", SIZE, null),
        q("rate_counter", 2 * m, "latency", SIZE, null),
        q("sum_over_time", m, "latency", SIZE, null),
        q("sum_over_time", 2 * m, "bytes(size)", LATENCY, null),
        q("avg_over_time", m, "latency", SIZE, null),
        q("avg_over_time", 2 * m, "latency", SIZE, byComp),
        q("min_over_time", m, "latency", SIZE, null),
        q("min_over_time", m, "latency", SIZE, byLevelHost),
        q("max_over_time", m, "bytes(size)", LATENCY, null),
        q("max_over_time", 2 * m, "latency", SIZE, List.of("latency")),
        q("stddev_over_time", 2 * m, "latency", SIZE, null),
        q("stddev_over_time", 2 * m, "latency", SIZE, byComp),
        q("stdvar_over_time", m, "latency", SIZE, null),
        q("stdvar_over_time", m, "bytes(size)", LATENCY, byLevelHost),
        new NaiveRangeEvaluator.Query("quantile_over_time", 0.5, ALL, m, 0, true, SIZE, "latency", null),
        new NaiveRangeEvaluator.Query("quantile_over_time", 0.99, ALL, 2 * m, 0, true, SIZE, "latency", byComp),
        new NaiveRangeEvaluator.Query("quantile_over_time", 1.5, ALL, m, 0, true, SIZE, "latency", null),
        new NaiveRangeEvaluator.Query("rate_counter", Double.NaN, Map.of("app", "hdfs", "host", "a"), 90 * S, m,
            true, SIZE, "latency", null),
        new NaiveRangeEvaluator.Query("quantile_over_time", 0.9, ALL, m, 0, true, LATENCY, "bytes(size)",
            List.of("host")),
        new NaiveRangeEvaluator.Query("avg_over_time", Double.NaN, ALL, 90 * S, 0, true, SIZE, "latency",
            List.of("comp", "host"), true),
        new NaiveRangeEvaluator.Query("stdvar_over_time", Double.NaN, ALL, m, 0, true, LATENCY, "bytes(size)",
            List.of("level"), true),
        q("first_over_time", m, "latency", SIZE, null),
        q("first_over_time", 2 * m, "latency", SIZE, byComp),
        q("last_over_time", m, "latency", SIZE, null),
        q("last_over_time", 90 * S, "bytes(size)", LATENCY, List.of("level")));
  }

  /** Step 30 s: divides every range used (60/90/120 s); start and end are off the step grid. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void rangeQueryWithStepThatDividesTheRange(NaiveRangeEvaluator.Query query) throws Exception {
    assertRange(query, BASE - 37 * S - 500_000_000L, BASE + 9 * 60 * S + 13_250_000_000L, 30 * S);
  }

  /** Step 47 s: divides no range; Loki still aligns start down and end up to multiples of the step. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void rangeQueryWithStepThatDoesNotDivideTheRange(NaiveRangeEvaluator.Query query) throws Exception {
    assertRange(query, BASE + 11 * S + 125_000_000L, BASE + 8 * 60 * S + 2 * S, 47 * S);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void instantQueries(NaiveRangeEvaluator.Query query) throws Exception {
    for (long t : new long[] {BASE + 3 * 60 * S + 250_000_000L, BASE + 4 * 60 * S,
        BASE + 5 * 60 * S + 17 * S, BASE + 20 * 60 * S}) {
      Map<String, List<NaiveRangeEvaluator.Point>> got = parse(get("/loki/api/v1/query", query.logql(),
          "&time=" + seconds(t)));
      NaiveRangeEvaluator.assertSameResult(got, NaiveRangeEvaluator.evaluate(pushed, query, List.of(t)),
          query.logql() + " @ " + seconds(t));
    }
  }

  /** A sanity check that the fixture is big enough for the windows above to hold many samples. */
  @Test
  void datasetSpansTheQueriedWindows() throws Exception {
    var q = q("count_over_time", 2 * 60 * S, null, NONE, null);
    Map<String, List<NaiveRangeEvaluator.Point>> got = parse(get("/loki/api/v1/query", q.logql(),
        "&time=" + seconds(BASE + 4 * 60 * S)));
    assertThat(got).hasSize(2);
    assertThat(got.values()).allSatisfy(p -> assertThat(p.getFirst().value()).isGreaterThan(20));
  }

  private static void assertRange(NaiveRangeEvaluator.Query query, long start, long end, long step) throws Exception {
    Map<String, List<NaiveRangeEvaluator.Point>> got = parse(get("/loki/api/v1/query_range", query.logql(),
        "&start=" + seconds(start) + "&end=" + seconds(end) + "&step=" + step / S));
    // Loki's frontend aligns start down and end up to multiples of the step (LOKI-COMPAT §2.3/§3.15).
    long alignedStart = Math.floorDiv(start, step) * step;
    long alignedEnd = -Math.floorDiv(-end, step) * step;
    List<Long> steps = new ArrayList<>();
    for (long t = alignedStart; t <= alignedEnd; t += step) steps.add(t);
    var expected = NaiveRangeEvaluator.evaluate(pushed, query, steps);
    assertThat(expected).as("the oracle finds something to compare").isNotEmpty();
    NaiveRangeEvaluator.assertSameResult(got, expected, query.logql() + " step " + step / S + "s");
  }

  private static HttpResponse<String> get(String path, String query, String params) throws Exception {
    String uri = "http://127.0.0.1:" + lodge.httpPort() + path + "?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8) + params;
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(query + " -> " + r.body()).isEqualTo(200);
    return r;
  }

  /** Unix seconds with milliseconds, as Grafana sends them. */
  private static String seconds(long nanos) {
    return new BigDecimal(nanos / 1_000_000).movePointLeft(3).toPlainString();
  }

  /** A vector or matrix result: sorted label text -> points (ns time, value). */
  private static Map<String, List<NaiveRangeEvaluator.Point>> parse(HttpResponse<String> r) throws IOException {
    Map<String, List<NaiveRangeEvaluator.Point>> out = new TreeMap<>();
    try (JsonParser p = new JsonFactory().createParser(r.body())) {
      while (p.nextToken() != null) {
        if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("result")) break;
      }
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_ARRAY);
      while (p.nextToken() == JsonToken.START_OBJECT) {
        Map<String, String> metric = new TreeMap<>();
        List<NaiveRangeEvaluator.Point> points = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          p.nextToken();
          if (field.equals("metric")) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String name = p.currentName();
              p.nextToken();
              metric.put(name, p.getText());
            }
          } else if (field.equals("value")) {
            points.add(point(p));
          } else {
            while (p.nextToken() == JsonToken.START_ARRAY) points.add(point(p));
          }
        }
        assertThat(out.put(metric.toString(), points)).as("duplicate series " + metric).isNull();
      }
    }
    return out;
  }

  private static NaiveRangeEvaluator.Point point(JsonParser p) throws IOException {
    p.nextToken();
    assertThat(p.currentToken()).isIn(JsonToken.VALUE_NUMBER_INT, JsonToken.VALUE_NUMBER_FLOAT);
    long t = p.getDecimalValue().movePointRight(9).longValueExact();
    p.nextToken();
    assertThat(p.currentToken()).isEqualTo(JsonToken.VALUE_STRING);
    String v = p.getText();
    p.nextToken();
    double value = switch (v) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(v);
    };
    return new NaiveRangeEvaluator.Point(t, value);
  }
}
