package io.lodge.server.syslog;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The syslog receiver's Prometheus metrics; one instance per registry. */
public final class SyslogMetrics {
  static final String TCP = "tcp";
  static final String UDP = "udp";

  private final Counter received;
  private final Counter invalid;
  private final Counter dropped;
  private final Counter pushes;
  private final Gauge connections;
  private final Gauge queued;

  public SyslogMetrics(PrometheusRegistry registry) {
    received = Counter.builder().name("lodge_syslog_messages_total")
        .help("Syslog messages parsed and queued for ingestion, by transport.")
        .labelNames("transport").register(registry);
    invalid = Counter.builder().name("lodge_syslog_invalid_messages_total")
        .help("Syslog frames that could not be parsed or framed (logged with the peer), by transport.")
        .labelNames("transport").register(registry);
    dropped = Counter.builder().name("lodge_syslog_dropped_messages_total")
        .help("Syslog messages dropped: udp_backpressure (queue full), push_failed (retries exhausted).")
        .labelNames("reason").register(registry);
    pushes = Counter.builder().name("lodge_syslog_pushes_total")
        .help("Batches pushed to the ingester, by outcome status code.")
        .labelNames("status_code").register(registry);
    connections = Gauge.builder().name("lodge_syslog_tcp_connections")
        .help("Open syslog TCP connections.").register(registry);
    queued = Gauge.builder().name("lodge_syslog_queued_messages")
        .help("Syslog messages waiting to be pushed (TCP stops reading above the high watermark).")
        .register(registry);
  }

  void received(String transport) {
    received.labelValues(transport).inc();
  }

  void invalid(String transport) {
    invalid.labelValues(transport).inc();
  }

  void dropped(String reason, long n) {
    dropped.labelValues(reason).inc(n);
  }

  void pushed(int status) {
    pushes.labelValues(Integer.toString(status)).inc();
  }

  void connectionOpened() {
    connections.inc();
  }

  void connectionClosed() {
    connections.dec();
  }

  void queued(long n) {
    queued.set(n);
  }

  /** Invalid frames counted so far for {@code transport} (tests). */
  public long invalidCount(String transport) {
    return (long) invalid.labelValues(transport).get();
  }

  /** Messages dropped so far for {@code reason} (tests). */
  public long droppedCount(String reason) {
    return (long) dropped.labelValues(reason).get();
  }

  /** Messages received so far for {@code transport} (tests). */
  public long receivedCount(String transport) {
    return (long) received.labelValues(transport).get();
  }
}
