package io.lodge.server.tail;

import io.lodge.config.ConfigLoader;
import io.lodge.config.LodgeConfig;
import io.lodge.ingester.Ingester;
import io.lodge.ingester.push.PushBodyDecoder;
import io.lodge.server.http.BlockingWorkers;
import io.lodge.server.http.HttpServer;
import io.lodge.server.http.PushHandler;
import io.lodge.server.http.Router;
import io.lodge.server.metrics.HttpMetrics;
import io.lodge.server.tenant.TenantResolver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A real in-process Lodge for tail tests: the real ingester (WAL, head, chunks), the real push route and
 * HTTP server, and the tail routes wired the way the report tells the lead to wire them into
 * {@code LodgeServer} (which this branch must not edit), with test-sized {@link TailSettings}.
 */
final class TailServer implements AutoCloseable {
  final LodgeConfig config;
  final Ingester ingester;
  final BlockingWorkers pushWorkers = new BlockingWorkers("push", 2, 64);
  final ScheduledExecutorService tailScheduler = TailService.newScheduler(2);
  final TailService tails;
  final HttpServer http;
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** {@code extraLimits}: more {@code limits_config} keys, one per line, without indentation. */
  TailServer(Path dir, boolean auth, String extraLimits, TailSettings settings) throws Exception {
    String yaml = """
        auth_enabled: %s
        server:
          http_listen_address: 127.0.0.1
          http_listen_port: 0
          grpc_listen_port: 0
          http_server_max_request_body_size: 8MB
        common:
          path_prefix: %s
        limits_config:
          ingestion_rate_mb: 1000
          ingestion_burst_size_mb: 1000
          per_stream_rate_limit: 1000MB
          per_stream_rate_limit_burst: 1000MB
        """.formatted(auth, dir.resolve("data")) + extraLimits.lines().map(l -> "  " + l + "\n").reduce("", String::concat);
    config = ConfigLoader.fromYaml(yaml, "tail-test.yaml").config();
    PrometheusRegistry registry = new PrometheusRegistry();
    ingester = new Ingester(config, registry);
    Router router = new Router();
    new PushHandler(new PushBodyDecoder(config.limits(), config.server().maxRequestBodySize()),
        ingester.pushService(), pushWorkers).register(router);
    tails = new TailService(ingester.reader(), config.limits(), tailScheduler, settings);
    tails.register(router);
    http = new HttpServer(config.server(), router,
        new TenantResolver(config.authEnabled(), config.multiTenantQueriesEnabled()), new HttpMetrics(registry));
    http.start();
    ingester.start();
  }

  URI http(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + http.port() + pathAndQuery);
  }

  URI ws(String pathAndQuery) {
    return URI.create("ws://127.0.0.1:" + http.port() + pathAndQuery);
  }

  HttpResponse<String> get(String pathAndQuery) throws Exception {
    return client.send(HttpRequest.newBuilder(http(pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Pushes a v1 JSON body; fails the test unless it is accepted. */
  void push(String json) throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(http("/loki/api/v1/push")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 204) throw new AssertionError("push answered " + r.statusCode() + ": " + r.body());
  }

  @Override
  public void close() {
    http.close(Duration.ofSeconds(5));
    tailScheduler.shutdownNow(); // after HTTP: the sockets are closed, so no new polls start
    try {
      tailScheduler.awaitTermination(5, TimeUnit.SECONDS); // before the store closes
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pushWorkers.close();
    ingester.close();
    client.close();
  }
}
