package io.lodge.server.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lodge.config.ConfigLoader;
import io.lodge.config.ElasticsearchConfig;
import io.lodge.config.LodgeConfig;
import io.lodge.server.LodgeServer;
import io.lodge.server.http.BlockingWorkers;
import io.lodge.server.http.HttpServer;
import io.lodge.server.http.Router;
import io.lodge.server.metrics.HttpMetrics;
import io.lodge.server.syslog.QueryRange;
import io.lodge.server.tenant.TenantResolver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Elasticsearch bulk API end to end: request bodies shaped exactly as Filebeat 8 and Vector send
 * them go over real HTTP to {@link ElasticsearchHandler} on its own {@link HttpServer}, which pushes
 * into a real in-process {@link LodgeServer}; the bulk response must have Elasticsearch's shape with
 * per-item statuses, and {@code query_range} must show exactly the stored lines with their labels,
 * metadata and timestamps.
 */
class ElasticsearchBulkTest {
  private static final long HOUR = Duration.ofHours(1).toNanos();
  private static final JsonFactory JSON = new JsonFactory();

  @TempDir Path dir;
  private LodgeServer lodge;
  private HttpServer es;
  private BlockingWorkers workers;
  private final HttpClient http = HttpClient.newHttpClient();

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
        """.formatted(dir.resolve("data"));
    LodgeConfig config = ConfigLoader.fromYaml(yaml, "test.yaml").config();
    lodge = new LodgeServer(config);
    lodge.start();
    workers = new BlockingWorkers("es-test", 2, 64);
    Router router = new Router();
    new ElasticsearchHandler(ElasticsearchConfig.defaults(), lodge.ingester().pushService(), 1 << 20, workers)
        .register(router);
    es = new HttpServer(config.server(), router, new TenantResolver(false, false), new HttpMetrics(new PrometheusRegistry()));
    es.start();
  }

  @AfterEach
  void stop() {
    if (es != null) es.close();
    if (workers != null) workers.close();
    if (lodge != null) lodge.close();
  }

  private HttpResponse<String> send(String method, String path, byte[] body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + es.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private List<QueryRange.Stream> query(String q) throws Exception {
    long now = System.currentTimeMillis() * 1_000_000L;
    return QueryRange.query(lodge.httpPort(), q, now - 2 * HOUR, now + HOUR);
  }

  /** The items of a bulk response as (action, status, error type) triples, in order. */
  private static List<String> items(String response) throws Exception {
    List<String> out = new ArrayList<>();
    try (JsonParser p = JSON.createParser(response)) {
      while (p.nextToken() != null) {
        if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("items")) {
          p.nextToken();
          while (p.nextToken() == JsonToken.START_OBJECT) {
            p.nextToken();
            String action = p.currentName();
            p.nextToken();
            int status = 0;
            String type = "";
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String k = p.currentName();
              p.nextToken();
              if (k.equals("status")) status = p.getIntValue();
              else if (k.equals("error")) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                  String ek = p.currentName();
                  p.nextToken();
                  if (ek.equals("type")) type = p.getText();
                }
              } else p.skipChildren();
            }
            p.nextToken(); // end of the item object
            out.add(action + " " + status + (type.isEmpty() ? "" : " " + type));
          }
        }
      }
    }
    return out;
  }

  private static String iso(long nanos) {
    return Instant.ofEpochSecond(0, nanos).toString();
  }

  @Test
  void filebeatBulkWithAMalformedLineStoresTheRest() throws Exception {
    long t0 = (System.currentTimeMillis() - 60_000) * 1_000_000L + 123_000_000L % 1_000_000_000L;
    t0 = t0 / 1_000_000 * 1_000_000; // millisecond precision, as Filebeat sends
    String agent = "\"agent\":{\"ephemeral_id\":\"2f5c7e1a-4b8f-4a51-9c3e-0d1f2a3b4c5d\",\"id\":\"8e7d6c5b-4a39-4281-b7a6-958473625140\","
        + "\"name\":\"web-01\",\"type\":\"filebeat\",\"version\":\"8.19.0\"}";
    // as Filebeat 8 writes a batch to its data stream: create actions, ECS documents, one per line
    String body = "{\"create\":{\"_index\":\"filebeat-8.19.0\"}}\n"
        + "{\"@timestamp\":\"" + iso(t0) + "\",\"log\":{\"offset\":0,\"file\":{\"path\":\"/var/log/app/app.log\"}},"
        + "\"message\":\"GET /health 200 3ms\",\"input\":{\"type\":\"filestream\"},\"ecs\":{\"version\":\"8.0.0\"},"
        + "\"host\":{\"name\":\"web-01\"}," + agent + "}\n"
        + "{\"create\":{\"_index\":\"filebeat-8.19.0\"}}\n"
        + "{\"@timestamp\":\"" + iso(t0 + 1_000_000) + "\",\"message\":\"truncated by a broken disk, \n"
        + "{\"create\":{\"_index\":\"filebeat-8.19.0\"}}\n"
        + "{\"@timestamp\":\"" + iso(t0 + 2_000_000) + "\",\"log\":{\"offset\":20,\"file\":{\"path\":\"/var/log/app/app.log\"}},"
        + "\"message\":\"POST /login 401 12ms\",\"input\":{\"type\":\"filestream\"},\"ecs\":{\"version\":\"8.0.0\"},"
        + "\"host\":{\"name\":\"web-01\"}," + agent + "}\n";
    HttpResponse<String> r = send("POST", "/elasticsearch/_bulk?filter_path=errors,items.*.error,items.*.status",
        body.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Elastic-Product")).hasValue("Elasticsearch");
    assertThat(r.body()).contains("\"errors\":true");
    assertThat(items(r.body())).containsExactly("create 201", "create 400 document_parsing_exception", "create 201");

    List<QueryRange.Stream> streams = query("{job=\"elasticsearch\", index=\"filebeat-8.19.0\"}");
    List<QueryRange.Entry> entries = streams.stream().flatMap(s -> s.entries().stream()).toList();
    assertThat(entries).containsExactly(new QueryRange.Entry(t0, "GET /health 200 3ms"),
        new QueryRange.Entry(t0 + 2_000_000, "POST /login 401 12ms"));
    Map<String, String> labels = streams.get(0).labels();
    assertThat(labels).containsEntry("host_name", "web-01").containsEntry("log_file_path", "/var/log/app/app.log")
        .containsEntry("agent_type", "filebeat").containsEntry("agent_version", "8.19.0")
        .containsEntry("input_type", "filestream").containsEntry("ecs_version", "8.0.0");
    assertThat(labels).doesNotContainKeys("message", "_timestamp", "@timestamp");
    // metadata is not a stream label
    assertThat(query("{host_name=\"web-01\"}")).isEmpty();
  }

  @Test
  void vectorGzippedBulkWithStreamAndTimeFieldsFromTheQuery() throws Exception {
    long t0 = (System.currentTimeMillis() - 30_000) * 1_000_000L + 456_789_000L % 1_000_000L;
    t0 = t0 / 1_000 * 1_000; // microseconds, as Vector prints them
    // as Vector's elasticsearch sink (bulk mode, index action) writes its log events
    String body = "{\"index\":{\"_index\":\"vector-2026.11.26\"}}\n"
        + "{\"file\":\"/var/log/nginx/access.log\",\"host\":\"web-02\",\"message\":\"10.0.0.7 - - \\\"GET / HTTP/1.1\\\" 200\","
        + "\"source_type\":\"file\",\"timestamp\":\"" + iso(t0) + "\"}\n"
        + "{\"index\":{\"_index\":\"vector-2026.11.26\"}}\n"
        + "{\"file\":\"/var/log/nginx/access.log\",\"host\":\"web-03\",\"message\":\"10.0.0.8 - - \\\"GET /x HTTP/1.1\\\" 404\","
        + "\"source_type\":\"file\",\"timestamp\":\"" + iso(t0 + 1_000) + "\"}\n"
        + "{\"delete\":{\"_index\":\"vector-2026.11.26\",\"_id\":\"42\"}}\n"
        + "{\"update\":{\"_index\":\"vector-2026.11.26\",\"_id\":\"43\"}}\n"
        + "{\"doc\":{\"message\":\"changed\"}}\n";
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(body.getBytes(StandardCharsets.UTF_8));
    }
    HttpResponse<String> r = send("POST", "/elasticsearch/_bulk?_time_field=timestamp&_stream_fields=host",
        gz.toByteArray(), Map.of("Content-Type", "application/x-ndjson", "Content-Encoding", "gzip"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(items(r.body())).containsExactly("index 201", "index 201", "delete 400 illegal_argument_exception",
        "update 400 illegal_argument_exception");

    List<QueryRange.Stream> web02 = query("{host=\"web-02\"}");
    assertThat(web02).hasSize(1);
    assertThat(web02.get(0).entries()).containsExactly(new QueryRange.Entry(t0, "10.0.0.7 - - \"GET / HTTP/1.1\" 200"));
    assertThat(web02.get(0).labels()).containsEntry("file", "/var/log/nginx/access.log")
        .containsEntry("source_type", "file").doesNotContainKeys("timestamp", "job", "index");
    assertThat(QueryRange.lines(query("{host=\"web-03\"}"))).containsExactly("10.0.0.8 - - \"GET /x HTTP/1.1\" 404");
  }

  @Test
  void theUrlIndexAndHeadersSetTheDefaults() throws Exception {
    String body = "{\"index\":{}}\n{\"msg\":\"from msg\",\"svc\":{\"name\":\"api\"}}\n"
        + "{\"index\":{}}\n{\"level\":\"info\",\"other\":\"no message field\"}\n";
    HttpResponse<String> r = send("POST", "/elasticsearch/app-logs/_bulk", body.getBytes(StandardCharsets.UTF_8),
        Map.of("Content-Type", "application/x-ndjson", "Lodge-Stream-Fields", "svc.name"));
    assertThat(items(r.body())).containsExactly("index 201", "index 201");
    assertThat(QueryRange.lines(query("{svc_name=\"api\"}"))).containsExactly("from msg");
    // without a message field the document is the line; without stream fields the index names the stream
    assertThat(QueryRange.lines(query("{job=\"elasticsearch\", index=\"app-logs\"}")))
        .containsExactly("{\"level\":\"info\",\"other\":\"no message field\"}");
  }

  @Test
  void versionProbeLicenseAndSetupCallsAnswerLikeElasticsearch8() throws Exception {
    for (String path : List.of("/elasticsearch", "/elasticsearch/")) {
      HttpResponse<String> r = send("GET", path, null, Map.of());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("X-Elastic-Product")).hasValue("Elasticsearch");
      assertThat(r.body()).contains("\"version\":{\"number\":\"8.19.0\"").contains("\"build_flavor\":\"default\"");
    }
    assertThat(send("HEAD", "/elasticsearch/", null, Map.of()).statusCode()).isEqualTo(200);
    HttpResponse<String> license = send("GET", "/elasticsearch/_license", null, Map.of());
    assertThat(license.body()).contains("\"type\":\"basic\"").contains("\"status\":\"active\"");
    assertThat(send("GET", "/elasticsearch/_xpack", null, Map.of()).body()).contains("\"license\":{");
    assertThat(send("GET", "/elasticsearch/_cluster/health", null, Map.of()).body()).contains("\"status\":\"green\"");
    assertThat(send("HEAD", "/elasticsearch/_index_template/filebeat-8.19.0", null, Map.of()).statusCode()).isEqualTo(200);
    assertThat(send("PUT", "/elasticsearch/_ilm/policy/filebeat", "{}".getBytes(), Map.of()).body())
        .isEqualTo("{\"acknowledged\":true}");
    HttpResponse<String> bad = send("POST", "/elasticsearch/_bulk", "{}".getBytes(),
        Map.of("Content-Encoding", "br"));
    assertThat(bad.statusCode()).isEqualTo(415);
    assertThat(bad.body()).contains("\"type\":\"illegal_argument_exception\"").contains("\"status\":415");
  }
}
