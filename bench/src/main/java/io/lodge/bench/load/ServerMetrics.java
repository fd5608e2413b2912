package io.lodge.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** One scrape of a server's Prometheus {@code /metrics}, read by {@link ServerPushLatency} and {@link ServerGc}. */
final class ServerMetrics {
  private ServerMetrics() {}

  /** The server's {@code /metrics} text, or empty when it has none or does not answer. */
  static Optional<String> fetch(URI base) {
    String url = base.toString();
    URI metrics = URI.create((url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + "/metrics");
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
