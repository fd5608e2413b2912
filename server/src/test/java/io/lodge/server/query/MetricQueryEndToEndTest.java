package io.lodge.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lodge.config.ConfigLoader;
import io.lodge.config.LodgeConfig;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metric queries end to end: loghub lines pushed over HTTP into a real in-process {@link LodgeServer},
 * then {@code query_range} and {@code query} over HTTP through the server's own query endpoints reading that
 * server's store. Every expected number is computed here from the pushed timestamps and lines.
 */
class MetricQueryEndToEndTest {
  private static final Path LOGHUB = io.lodge.ingester.testing.LoghubData.dir();
  private static final long S = 1_000_000_000L;
  private static final long BASE = (Instant.now().getEpochSecond() / 3600 - 3) * 3600 * S;

  @TempDir static Path dir;
  private static LodgeServer lodge;
  private static final HttpClient http = HttpClient.newHttpClient();

  /** One pushed entry. */
  record Pushed(String app, String level, long ts, String line) {}

  private static final List<Pushed> pushed = new ArrayList<>();

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
          max_query_series: 4
        """.formatted(dir.resolve("data"));
    LodgeConfig config = ConfigLoader.fromYaml(yaml, "test.yaml").config();
    lodge = new LodgeServer(config);
    lodge.start();

    List<String> apache = Files.readAllLines(LOGHUB.resolve("Apache_2k.log"));
    List<String> hdfs = Files.readAllLines(LOGHUB.resolve("HDFS_2k.log"));
    for (int i = 0; i < apache.size(); i++) {
      String line = apache.get(i);
      String level = line.substring(line.indexOf("] [") + 3, line.indexOf(']', line.indexOf("] [") + 3));
      pushed.add(new Pushed("apache", level, BASE + i * 1_234_567_891L, line));
    }
    for (int i = 0; i < hdfs.size(); i++) {
      String line = hdfs.get(i);
      pushed.add(new Pushed("hdfs", line.split(" ")[3], BASE + 7 * S + i * 987_654_321L, line));
    }
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lodge.httpPort()
        + "/loki/api/v1/push")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(pushBody())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
  }

  private static byte[] pushBody() throws IOException {
    Map<String, List<Pushed>> streams = new LinkedHashMap<>();
    for (Pushed p : pushed) streams.computeIfAbsent(p.app + "/" + p.level, k -> new ArrayList<>()).add(p);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("streams");
      for (List<Pushed> s : streams.values()) {
        g.writeStartObject();
        g.writeObjectFieldStart("stream");
        g.writeStringField("app", s.getFirst().app);
        g.writeStringField("level", s.getFirst().level);
        g.writeEndObject();
        g.writeArrayFieldStart("values");
        for (Pushed p : s) {
          g.writeStartArray();
          g.writeString(Long.toString(p.ts));
          g.writeString(p.line);
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

  @AfterAll
  static void stop() {
    if (lodge != null) lodge.close();
  }

  private static HttpResponse<String> get(String path, String query, String params) throws Exception {
    String uri = "http://127.0.0.1:" + lodge.httpPort() + path + "?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8) + params;
    return http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The result of a response: metric labels (JSON text) -> ["time value", ...]. */
  private static Map<String, List<String>> result(HttpResponse<String> r) throws IOException {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Map<String, List<String>> out = new TreeMap<>();
    try (JsonParser p = new JsonFactory().createParser(r.body())) {
      while (p.nextToken() != null) {
        if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("result")) break;
      }
      p.nextToken(); // [
      while (p.nextToken() == JsonToken.START_OBJECT) {
        StringBuilder metric = new StringBuilder("{");
        List<String> points = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          p.nextToken();
          if (field.equals("metric")) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              if (metric.length() > 1) metric.append(',');
              metric.append(p.currentName()).append('=');
              p.nextToken();
              metric.append(p.getText());
            }
          } else if (field.equals("value")) {
            points.add(point(p));
          } else {
            while (p.nextToken() == JsonToken.START_ARRAY) points.add(point(p));
          }
        }
        out.put(metric.append('}').toString(), points);
      }
    }
    return out;
  }

  /** Reads "[t, "v"]" (positioned on its START_ARRAY) as "t v" with t as written. */
  private static String point(JsonParser p) throws IOException {
    p.nextToken();
    assertThat(p.currentToken()).isIn(JsonToken.VALUE_NUMBER_INT, JsonToken.VALUE_NUMBER_FLOAT);
    String t = p.getText();
    p.nextToken();
    assertThat(p.currentToken()).isEqualTo(JsonToken.VALUE_STRING);
    String v = p.getText();
    p.nextToken();
    return t + " " + v;
  }

  private static String num(double v) {
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  private static String seconds(long nanos) {
    return num(nanos / 1_000_000 / 1000.0);
  }

  /** count (or bytes) of entries of app/level in (from, to]. */
  private static long sum(String app, String level, long from, long to, boolean bytes) {
    long n = 0;
    for (Pushed p : pushed) {
      if (p.app.equals(app) && (level == null || p.level.equals(level)) && p.ts > from && p.ts <= to) {
        n += bytes ? p.line.getBytes(StandardCharsets.UTF_8).length : 1;
      }
    }
    return n;
  }

  @Test
  void countOverTimeRangeQueryIsStepAlignedPerSeries() throws Exception {
    long start = BASE + 65 * S + 500_000_000L;
    long end = BASE + 40 * 60 * S;
    Map<String, List<String>> got = result(get("/loki/api/v1/query_range", "count_over_time({app=\"apache\"}[1m])",
        "&start=" + seconds(start) + "&end=" + seconds(end) + "&step=60"));
    Map<String, List<String>> expected = new TreeMap<>();
    for (String level : List.of("error", "notice")) {
      List<String> pts = new ArrayList<>();
      for (long t = BASE + 60 * S; t <= end; t += 60 * S) {
        long n = sum("apache", level, t - 60 * S, t, false);
        if (n > 0) pts.add(seconds(t) + " " + n);
      }
      expected.put("{app=apache,level=" + level + "}", pts);
    }
    assertThat(got).isEqualTo(expected);
  }

  @Test
  void sumByLevelOfRatesAcrossApps() throws Exception {
    long start = BASE;
    long end = BASE + 50 * 60 * S;
    Map<String, List<String>> got = result(get("/loki/api/v1/query_range",
        "sum by (level) (rate({app=~\"apache|hdfs\"}[5m]))", "&start=" + start + "&end=" + end + "&step=120s"));
    Map<String, List<String>> expected = new TreeMap<>();
    for (String level : List.of("INFO", "WARN", "error", "notice")) {
      List<String> pts = new ArrayList<>();
      for (long t = start; t <= end; t += 120 * S) {
        long n = sum("apache", level, t - 300 * S, t, false) + sum("hdfs", level, t - 300 * S, t, false);
        if (n > 0) pts.add(seconds(t) + " " + num(n / 300.0));
      }
      if (!pts.isEmpty()) expected.put("{level=" + level + "}", pts);
    }
    assertThat(got).isEqualTo(expected);
  }

  @Test
  void instantBytesAndTopk() throws Exception {
    long t = BASE + 20 * 60 * S + 250_000_000L;
    Map<String, List<String>> got = result(get("/loki/api/v1/query", "bytes_over_time({app=\"hdfs\"}[10m])",
        "&time=" + seconds(t)));
    Map<String, List<String>> expected = new TreeMap<>();
    for (String level : List.of("INFO", "WARN")) {
      long n = sum("hdfs", level, t - 600 * S, t, true);
      if (n > 0) expected.put("{app=hdfs,level=" + level + "}", List.of(seconds(t) + " " + n));
    }
    assertThat(got).isEqualTo(expected).isNotEmpty();

    got = result(get("/loki/api/v1/query", "topk(1, sum by (level) (count_over_time({app=\"apache\"}[30m])))",
        "&time=" + seconds(t)));
    long errors = sum("apache", "error", t - 1800 * S, t, false);
    long notices = sum("apache", "notice", t - 1800 * S, t, false);
    assertThat(got).isEqualTo(Map.of(errors > notices ? "{level=error}" : "{level=notice}",
        List.of(seconds(t) + " " + Math.max(errors, notices))));
  }

  @Test
  void grafanaHealthCheckAndScalars() throws Exception {
    HttpResponse<String> r = get("/loki/api/v1/query", "vector(1)+vector(1)", "&time=1700000100.25");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
    assertThat(r.body()).startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":{},\"value\":[1700000100.25,\"2\"]}],\"stats\":{\"summary\":");
    r = get("/loki/api/v1/query", "1+1", "&time=1700000100");
    assertThat(r.body()).startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000100,\"2\"]");
    r = get("/loki/api/v1/query_range", "vector(1)/0", "&start=1699999980&end=1700000100&step=60");
    assertThat(r.body()).startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
        + "{\"metric\":{},\"values\":[[1699999980,\"NaN\"],[1700000040,\"NaN\"],[1700000100,\"NaN\"]]}]");
  }

  @Test
  void refusalsArePlainTextWithLokisStatus() throws Exception {
    HttpResponse<String> r = get("/loki/api/v1/query_range", "count_over_time({app=\"apache\"}[1m])", "&step=0");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(r.body()).isEqualTo("zero or negative query resolution step widths are not accepted. Try a positive integer\n");
    r = get("/loki/api/v1/query_range", "count_over_time({app=\"apache\"}[1m])", "&start=0&end=11001&step=1");
    assertThat(r.body()).isEqualTo("exceeded maximum resolution of 11,000 points per time series. Try increasing the value of the step parameter\n");
    r = get("/loki/api/v1/query", "{app=\"apache\"}", "");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("log queries are not supported as an instant query type, please change your query to a range query type\n");
    r = get("/loki/api/v1/query", "count_over_time({app=~\".+\"}[3h]) or vector(1)", "&time=" + seconds(BASE + 3600 * S));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("maximum of series (4) reached for a single query\n");
    r = get("/loki/api/v1/query", "count_over_time({app=~\".+\"}[3h]) / on () count_over_time({app=\"hdfs\"}[3h])",
        "&time=" + seconds(BASE + 3600 * S));
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).startsWith("found duplicate series");
    r = get("/loki/api/v1/query", "sum(rate({app=\"apache\"}[1m]", "");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).startsWith("parse error");
  }

  @Test
  void grafanaLogVolumeQuery() throws Exception {
    String q = "sum by (level) (count_over_time({app=\"apache\"} | drop __error__ [1m]))";
    long t = BASE + 10 * 60 * S;
    Map<String, List<String>> got = result(get("/loki/api/v1/query", q, "&time=" + seconds(t)));
    Map<String, List<String>> expected = new TreeMap<>();
    for (String level : List.of("error", "notice")) {
      long n = sum("apache", level, t - 60 * S, t, false);
      if (n > 0) expected.put("{level=" + level + "}", List.of(seconds(t) + " " + n));
    }
    assertThat(got).isEqualTo(expected);
  }

  @Test
  void parserErrorsFailMetricQueriesExceptUnderAPlainSum() throws Exception {
    String failing = "sum by (level) (count_over_time({app=\"apache\"} | json [1h]))";
    String time = "&time=" + seconds(BASE + 3600 * S);
    HttpResponse<String> r = get("/loki/api/v1/query", failing, time);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).startsWith("pipeline error: 'JSONParserErr' for series: ");
    Map<String, List<String>> got = result(get("/loki/api/v1/query", "sum(count_over_time({app=\"apache\"} | json [1h]))", time));
    assertThat(got).isEqualTo(Map.of("{}", List.of(seconds(BASE + 3600 * S) + " "
        + sum("apache", null, BASE, BASE + 3600 * S, false))));
  }
}
