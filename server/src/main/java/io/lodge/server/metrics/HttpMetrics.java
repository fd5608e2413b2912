package io.lodge.server.metrics;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmNativeMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;

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

  /**
   * Registers the standard JVM metrics (memory, GC, threads, classes, buffer pools, process) on a fresh
   * registry: the same set as {@code JvmMetrics}, except that the native-memory gauges are registered
   * only when native memory tracking is on. Without it they would export nothing, yet finding that out
   * runs a diagnostic command through the platform MBean server: ~0.2 s before ready (BENCHMARKS.md,
   * fourteenth wave).
   */
  public static void registerJvmMetrics(PrometheusRegistry registry) {
    JvmThreadsMetrics.builder().register(registry);
    JvmBufferPoolMetrics.builder().register(registry);
    JvmClassLoadingMetrics.builder().register(registry);
    JvmCompilationMetrics.builder().register(registry);
    JvmGarbageCollectorMetrics.builder().register(registry);
    JvmMemoryPoolAllocationMetrics.builder().register(registry);
    JvmMemoryMetrics.builder().register(registry);
    JvmRuntimeInfoMetric.builder().register(registry);
    ProcessMetrics.builder().register(registry);
    if (nativeMemoryTracking()) JvmNativeMemoryMetrics.builder().register(registry);
  }

  /** Whether the JVM runs with {@code -XX:NativeMemoryTracking} other than {@code off}. */
  public static boolean nativeMemoryTracking() {
    HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    return hotspot != null && !"off".equals(hotspot.getVMOption("NativeMemoryTracking").getValue());
  }
}
