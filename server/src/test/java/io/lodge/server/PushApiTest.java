package io.lodge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.config.ConfigLoader;
import io.lodge.config.LodgeConfig;
import io.lodge.proto.logproto.EntryAdapter;
import io.lodge.proto.logproto.LabelPairAdapter;
import io.lodge.proto.logproto.PushRequest;
import io.lodge.proto.logproto.StreamAdapter;
import com.google.protobuf.Timestamp;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * The push API end to end over real HTTP against a real in-process server: every body format a shipper
 * sends, and every refusal of LOKI-COMPAT 1.7 to 1.10 with its status, message, and the valid part of
 * the request stored.
 */
class PushApiTest {
  private static final long NOW = Instant.now().getEpochSecond() * 1_000_000_000L;

  @TempDir Path dir;
  private LodgeServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  private LodgeServer start(String extraYaml) throws Exception {
    String yaml = """
        auth_enabled: false
        server:
          http_listen_address: 127.0.0.1
          http_listen_port: 0
          grpc_listen_port: 0
          http_server_max_request_body_size: 1MB
        common:
          path_prefix: %s
        """.formatted(dir.resolve("data")) + extraYaml;
    LodgeConfig config = ConfigLoader.fromYaml(yaml, "test.yaml").config();
    server = new LodgeServer(config);
    server.start();
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.httpPort() + path);
  }

  private HttpResponse<String> post(String contentType, String encoding, byte[] body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri("/loki/api/v1/push")).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) b.header("Content-Type", contentType);
    if (encoding != null) b.header("Content-Encoding", encoding);
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postJson(String json) throws Exception {
    return post("application/json", null, json.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  private Map<String, Integer> read(String selector) throws Exception {
    return new TestLokiClient(this::uri).readAll(selector, NOW - Duration.ofDays(8).toNanos(), NOW + Duration.ofMinutes(5).toNanos());
  }

  private static String entries(String labelsJson, String... tsAndLines) {
    StringBuilder v = new StringBuilder();
    for (int i = 0; i < tsAndLines.length; i += 2) {
      if (i > 0) v.append(',');
      v.append("[\"").append(tsAndLines[i]).append("\",\"").append(tsAndLines[i + 1]).append("\"]");
    }
    return "{\"stream\":" + labelsJson + ",\"values\":[" + v + "]}";
  }

  private static String body(String... streams) {
    return "{\"streams\":[" + String.join(",", streams) + "]}";
  }

  @Test
  void jsonGzipAndProtobufSnappyPushesAreStored() throws Exception {
    start("");
    assertThat(postJson(body(entries("{\"app\":\"json\"}", String.valueOf(NOW), "plain json"))).statusCode()).isEqualTo(204);

    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(body(entries("{\"app\":\"gzip\"}", String.valueOf(NOW + 1), "gzipped json")).getBytes(StandardCharsets.UTF_8));
    }
    assertThat(post("application/json", "gzip", gz.toByteArray(), Map.of()).statusCode()).isEqualTo(204);

    PushRequest proto = PushRequest.newBuilder().addStreams(StreamAdapter.newBuilder()
        .setLabels("{app=\"proto\", env=\"prod\"}")
        .addEntries(EntryAdapter.newBuilder()
            .setTimestamp(Timestamp.newBuilder().setSeconds(NOW / 1_000_000_000L).setNanos(42))
            .setLine("level=error from protobuf")
            .addStructuredMetadata(LabelPairAdapter.newBuilder().setName("trace_id").setValue("abc123"))))
        .build();
    HttpResponse<String> r = post("application/x-protobuf", null, Snappy.compress(proto.toByteArray()), Map.of());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);

    assertThat(read("{app=\"json\"}")).containsOnlyKeys("plain json");
    assertThat(read("{app=\"gzip\"}")).containsOnlyKeys("gzipped json");
    assertThat(read("{app=\"proto\"}")).containsOnlyKeys("level=error from protobuf");
    String result = http.send(HttpRequest.newBuilder(uri("/loki/api/v1/query_range?query=%7Bapp%3D%22proto%22%7D&start="
        + (NOW - 1_000_000_000L))).build(), HttpResponse.BodyHandlers.ofString()).body();
    // stream labels plus structured metadata, service_name discovered from app, level detected from the line
    assertThat(result).contains("\"stream\":{\"app\":\"proto\",\"detected_level\":\"error\",\"env\":\"prod\",\"service_name\":\"proto\",\"trace_id\":\"abc123\"}");
  }

  @Test
  void malformedBodiesAreRefusedWithLokisMessages() throws Exception {
    start("");
    HttpResponse<String> r = post(null, null, "{}".getBytes(), Map.of());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("mime: no media type\n");
    r = post("application/json", "br", "{}".getBytes(), Map.of());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("Content-Encoding \"br\" not supported\n");
    r = post("application/x-protobuf", null, "not snappy".getBytes(), Map.of());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("snappy: corrupt input\n");
    r = postJson("{\"streams\":[]}");
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.body()).isEqualTo("error at least one valid stream is required for ingestion\n");
    r = postJson(body("{\"stream\":{\"a\":\"b\"},\"values\":[[1700000000,\"x\"]]}"));
    assertThat(r.statusCode()).as("a JSON number timestamp").isEqualTo(400);
    r = post("application/json", null, new byte[2 * 1024 * 1024], Map.of());
    assertThat(r.statusCode()).isEqualTo(413);
    r = post("application/json", null, "{}".getBytes(), Map.of("X-Scope-OrgID", "a|b"));
    assertThat(r.statusCode()).as("tenants are ignored with auth off").isEqualTo(422);
  }

  @Test
  void invalidEntriesAreRefusedAndTheValidPartIsStored() throws Exception {
    start("""
        limits_config:
          max_line_size: 20
          max_label_names_per_series: 3
        """);
    String tooOld = String.valueOf(NOW - Duration.ofDays(8).toNanos());
    HttpResponse<String> r = postJson(body(
        entries("{\"app\":\"mixed\"}", String.valueOf(NOW), "short", String.valueOf(NOW + 1), "this line is far longer than twenty bytes",
            tooOld, "ancient"),
        entries("{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\",\"d\":\"4\"}", String.valueOf(NOW), "too many labels")));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .contains("1 errors like: Max entry size '20' bytes exceeded for stream '{app=\"mixed\", service_name=\"mixed\"}' while adding an entry with length '41' bytes")
        .contains("has timestamp too old")
        .contains("has 4 label names; limit 3")
        .contains("; ");
    assertThat(read("{app=\"mixed\"}")).containsOnlyKeys("short");
  }

  @Test
  void orderingWindowAndDuplicatesFollowLoki() throws Exception {
    start("");
    assertThat(postJson(body(entries("{\"app\":\"ord\"}", String.valueOf(NOW), "newest"))).statusCode()).isEqualTo(204);
    assertThat(postJson(body(entries("{\"app\":\"ord\"}", String.valueOf(NOW), "newest"))).statusCode())
        .as("an exact duplicate is dropped silently").isEqualTo(204);
    HttpResponse<String> r = postJson(body(entries("{\"app\":\"ord\"}",
        String.valueOf(NOW - Duration.ofMinutes(90).toNanos()), "too far behind", String.valueOf(NOW - 1), "in window")));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).startsWith("entry with timestamp ").contains("ignored, reason: 'entry too far behind, entry timestamp is: ")
        .contains("user 'fake', total ignored: 1 out of 2 for stream: {app=\"ord\", service_name=\"ord\"}");
    assertThat(read("{app=\"ord\"}")).isEqualTo(Map.of("newest", 1, "in window", 1));
  }

  @Test
  void rateAndStreamLimitsAnswer429() throws Exception {
    start("""
        limits_config:
          ingestion_rate_mb: 0.001
          ingestion_burst_size_mb: 0.001
          max_global_streams_per_user: 1
        """);
    assertThat(postJson(body(entries("{\"app\":\"one\"}", String.valueOf(NOW), "first"))).statusCode()).isEqualTo(204);
    HttpResponse<String> r = postJson(body(entries("{\"app\":\"two\"}", String.valueOf(NOW), "second stream")));
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.body()).startsWith("Maximum active stream limit exceeded when trying to create stream {app=\"two\", service_name=\"two\"}");
    r = postJson(body(entries("{\"app\":\"one\"}", String.valueOf(NOW + 1), "x".repeat(2000))));
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.body()).startsWith("Ingestion rate limit exceeded for user fake (limit: 1048 bytes/sec) while attempting to ingest '1' lines totaling '2000' bytes");
    assertThat(read("{app=~\"one|two\"}")).isEqualTo(Map.of("first", 1));
  }

  @Test
  void authEnabledRequiresATenantAndKeepsTenantsApart() throws Exception {
    start("auth_enabled: true\n".replace("auth_enabled: true\n", "") + "");
    server.close();
    String yaml = """
        auth_enabled: true
        server:
          http_listen_address: 127.0.0.1
          http_listen_port: 0
          grpc_listen_port: 0
        common:
          path_prefix: %s
        """.formatted(dir.resolve("auth"));
    server = new LodgeServer(ConfigLoader.fromYaml(yaml, "auth.yaml").config());
    server.start();
    String json = body(entries("{\"app\":\"t\"}", String.valueOf(NOW), "tenant line"));
    HttpResponse<String> r = post("application/json", null, json.getBytes(), Map.of());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).isEqualTo("no org id\n");
    r = post("application/json", null, json.getBytes(), Map.of("X-Scope-OrgID", "a|b"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("multiple org IDs present\n");
    assertThat(post("application/json", null, json.getBytes(), Map.of("X-Scope-OrgID", "team-a")).statusCode()).isEqualTo(204);
    HttpResponse<String> other = http.send(HttpRequest.newBuilder(uri("/loki/api/v1/query_range?query=%7Bapp%3D%22t%22%7D&start="
        + (NOW - 1_000_000_000L))).header("X-Scope-OrgID", "team-b").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(other.body()).contains("\"result\":[]");
    HttpResponse<String> own = http.send(HttpRequest.newBuilder(uri("/loki/api/v1/query_range?query=%7Bapp%3D%22t%22%7D&start="
        + (NOW - 1_000_000_000L))).header("X-Scope-OrgID", "team-a").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(own.body()).contains("tenant line");
  }

  @Test
  void queriesThatWouldReadTooManyBytesAreRefusedBeforeReading() throws Exception {
    start("limits_config:\n  max_query_bytes_read: 1000\n");
    assertThat(postJson(body(entries("{\"app\":\"big\"}", String.valueOf(NOW), "x".repeat(800),
        String.valueOf(NOW + 1), "y".repeat(800)))).statusCode()).isEqualTo(204);
    assertThat(postJson(body(entries("{\"app\":\"small\"}", String.valueOf(NOW), "tiny"))).statusCode()).isEqualTo(204);
    String range = "&start=" + (NOW - 1_000_000_000L) + "&end=" + (NOW + 1_000_000_000L);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/loki/api/v1/query_range?query=%7Bapp%3D%22big%22%7D"
        + range)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("the query would read too many bytes (query: 1.6 kB, limit: 1.0 kB); consider adding"
        + " more specific stream selectors or reduce the time range of the query\n");
    r = http.send(HttpRequest.newBuilder(uri("/loki/api/v1/query_range?query=%7Bapp%3D%22small%22%7D" + range)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("tiny");
  }

  @Test
  void metricsCountReceivedAndDiscardedEntries() throws Exception {
    start("limits_config:\n  max_line_size: 10\n");
    postJson(body(entries("{\"app\":\"m\"}", String.valueOf(NOW), "ok", String.valueOf(NOW + 1), "much too long for the limit")));
    String metrics = http.send(HttpRequest.newBuilder(uri("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics)
        .contains("lodge_discarded_samples_total{reason=\"line_too_long\",tenant=\"fake\"} 1.0")
        .contains("lodge_distributor_lines_received_total{tenant=\"fake\"}")
        .contains("lodge_wal_fsync_duration_seconds_bucket")
        .contains("lodge_ingester_streams")
        .contains("lodge_request_duration_seconds_bucket{method=\"POST\",route=\"/loki/api/v1/push\"");
    List<String> lines = metrics.lines().filter(l -> l.startsWith("lodge_ingester_streams ")).toList();
    assertThat(lines).containsExactly("lodge_ingester_streams 1.0");

    // POST /flush cuts the stream: its open block is compressed by the cut, and counted there
    assertThat(http.send(HttpRequest.newBuilder(uri("/flush")).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
    metrics = http.send(HttpRequest.newBuilder(uri("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics)
        .contains("lodge_ingester_blocks_sealed_total{where=\"flush\"} 1.0")
        .contains("lodge_ingester_blocks_sealed_total{where=\"sealer\"} 0.0")
        .contains("lodge_ingester_blocks_sealed_total{where=\"push\"} 0.0")
        .contains("lodge_ingester_sealed_raw_bytes_total{where=\"flush\"}")
        .contains("lodge_ingester_sealed_stored_bytes_total{where=\"flush\"}");
  }
}
