package io.lodge.server.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lodge.config.ConfigLoader;
import io.lodge.config.LodgeConfig;
import io.lodge.config.ServerConfig;
import io.lodge.server.LodgeServer;
import io.lodge.server.http.HttpServer;
import io.lodge.server.http.Router;
import io.lodge.server.metrics.HttpMetrics;
import io.lodge.server.tenant.TenantResolver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real in-process {@link LodgeServer} (pushes go to it) plus the handlers under test on a second real
 * HTTP server over the same store, registered exactly as the lead will register them in LodgeServer.
 */
final class QueryApiServer implements AutoCloseable {
  final LodgeServer lodge;
  final HttpServer api;
  private final ExecutorService workers = Executors.newFixedThreadPool(2);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  QueryApiServer(Path dir, String extraYaml) throws Exception {
    String yaml = """
        auth_enabled: false
        server:
          http_listen_address: 127.0.0.1
          http_listen_port: 0
          grpc_listen_port: 0
        common:
          path_prefix: %s
        limits_config:
          discover_service_name: []
          discover_log_levels: false
        """.formatted(dir.resolve("data")) + extraYaml;
    LodgeConfig config = ConfigLoader.fromYaml(yaml, "test.yaml").config();
    lodge = new LodgeServer(config);
    lodge.start();
    Router router = new Router();
    var reader = lodge.ingester().reader();
    new VolumeHandler(reader, config.limits(), workers).register(router);
    new DetectedHandlers(reader, config.limits(), workers).register(router);
    new PatternsHandler(reader, config.limits(), workers).register(router);
    new FormatQueryHandler().register(router);
    new LegacyQueryHandlers(reader, config.limits(), workers).register(router);
    ServerConfig d = config.server();
    ServerConfig apiConfig = new ServerConfig("127.0.0.1", 0, d.grpcListenAddress(), 0,
        d.grpcServerMaxRecvMsgSize(), d.maxRequestBodySize(), "info", "logfmt");
    api = new HttpServer(apiConfig, router, new TenantResolver(false, false), new HttpMetrics(new PrometheusRegistry()))
        .start();
  }

  /** One pushed entry. */
  record Entry(long ts, String line, Map<String, String> metadata) {}

  /** Pushes one stream as v1 JSON (built with a real JSON generator, so any line is escaped right). */
  void push(Map<String, String> stream, List<Entry> entries) throws Exception {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
      g.writeStartObject();
      g.writeArrayFieldStart("streams");
      g.writeStartObject();
      g.writeObjectFieldStart("stream");
      for (var e : stream.entrySet()) g.writeStringField(e.getKey(), e.getValue());
      g.writeEndObject();
      g.writeArrayFieldStart("values");
      for (Entry e : entries) {
        g.writeStartArray();
        g.writeString(Long.toString(e.ts()));
        g.writeString(e.line());
        if (!e.metadata().isEmpty()) {
          g.writeStartObject();
          for (var m : e.metadata().entrySet()) g.writeStringField(m.getKey(), m.getValue());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
    }
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lodge.httpPort()
        + "/loki/api/v1/push")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(w.toString())).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 204) throw new IllegalStateException("push answered " + r.statusCode() + ": " + r.body());
  }

  /** GET on the API server; {@code params} alternate name, value (values are URL-encoded here). */
  HttpResponse<String> get(String path, String... params) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path + query(params)))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** POST with a form body on the API server. */
  HttpResponse<String> postForm(String path, String... params) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(query(params).substring(1))).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String query(String... params) {
    StringBuilder sb = new StringBuilder("?");
    for (int i = 0; i < params.length; i += 2) {
      if (i > 0) sb.append('&');
      sb.append(URLEncoder.encode(params[i], StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  @Override
  public void close() {
    api.close(Duration.ofSeconds(5));
    workers.shutdownNow();
    lodge.close();
  }
}
