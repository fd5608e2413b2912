package io.lodge.server.http;

import io.lodge.config.ServerConfig;
import io.lodge.server.metrics.HttpMetrics;
import io.lodge.server.tenant.TenantResolver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A real server on 127.0.0.1 with a free port, plus a real HTTP/1.1 client, for tests. */
final class TestServer implements AutoCloseable {
  final Router router;
  final PrometheusRegistry registry = new PrometheusRegistry();
  final HttpMetrics metrics = new HttpMetrics(registry);
  final HttpServer server;
  final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  TestServer(Router router, long bodyLimit, TenantResolver tenants) throws Exception {
    this.router = router;
    ServerConfig defaults = ServerConfig.defaults();
    ServerConfig config = new ServerConfig("127.0.0.1", 0, defaults.grpcListenAddress(), 0,
        defaults.grpcServerMaxRecvMsgSize(), bodyLimit, "info", "logfmt");
    server = new HttpServer(config, router, tenants, metrics, 2, HttpServer.DEFAULT_IDLE_TIMEOUT).start();
  }

  TestServer(Router router) throws Exception {
    this(router, 1 << 20, new TenantResolver(false, false));
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
  }

  HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10));
  }

  HttpResponse<String> get(String pathAndQuery) throws Exception {
    return send(request(pathAndQuery).GET().build());
  }

  HttpResponse<String> post(String pathAndQuery, String contentType, String body) throws Exception {
    return send(request(pathAndQuery).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  HttpResponse<String> send(HttpRequest request) throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    server.close(Duration.ofSeconds(5));
    client.close();
  }
}
