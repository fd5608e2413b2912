package io.lodge.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The HTTP server's metrics, Loki-style but with Lodge's prefix: request latency by method, route
 * template and status code, bytes in and out per route, requests in flight and connections accepted.
 * Route labels are templates ({@code /loki/api/v1/label/{name}/values}), never raw paths, so the
 * label set stays bounded.
 */
public final class HttpMetrics {
  private final Histogram duration;
  private final Counter received;
  private final Counter sent;
  private final Gauge inflight;
  private final Counter connections;

  public HttpMetrics(PrometheusRegistry registry) {
    duration = Histogram.builder()
        .name("lodge_request_duration_seconds")
        .help("Time (in seconds) spent serving HTTP requests.")
        .labelNames("method", "route", "status_code")
        .classicOnly()
        .register(registry);
    received = Counter.builder()
        .name("lodge_request_received_bytes")
        .help("Size (in bytes) of HTTP request bodies received, after the body limit.")
        .labelNames("route")
        .register(registry);
    sent = Counter.builder()
        .name("lodge_response_sent_bytes")
        .help("Size (in bytes) of HTTP response bodies sent.")
        .labelNames("route")
        .register(registry);
    inflight = Gauge.builder()
        .name("lodge_inflight_requests")
        .help("HTTP requests being served.")
        .register(registry);
    connections = Counter.builder()
        .name("lodge_tcp_connections_accepted")
        .help("TCP connections accepted by the HTTP server.")
        .register(registry);
  }

  /** A request started (after aggregation, before routing). */
  public void requestStarted() {
    inflight.inc();
  }

  /** A request was answered; {@code nanos} counts from its start to the response being handed to Netty. */
  public void requestFinished(String method, String route, int status, long nanos, long bytesIn, long bytesOut) {
    inflight.dec();
    observe(method, route, status, nanos, bytesIn, bytesOut);
  }

  /** A response written outside the dispatcher (413 from the body limit). */
  public void observe(String method, String route, int status, long nanos, long bytesIn, long bytesOut) {
    duration.labelValues(method, route, Integer.toString(status)).observe(nanos / 1e9);
    if (bytesIn > 0) received.labelValues(route).inc(bytesIn);
    if (bytesOut > 0) sent.labelValues(route).inc(bytesOut);
  }

  public void connectionAccepted() {
    connections.inc();
  }

  /** Registers the standard JVM metrics (memory, GC, threads, classes, buffer pools) once per registry. */
  public static void registerJvmMetrics(PrometheusRegistry registry) {
    JvmMetrics.builder().register(registry);
  }
}
