package io.lodge.ingester.validate;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Ingest counters, Loki's with the {@code lodge_} prefix (LOKI-COMPAT 2.13):
 * {@code lodge_discarded_samples_total{reason,tenant}}, {@code lodge_discarded_bytes_total{reason,tenant}},
 * {@code lodge_distributor_lines_received_total{tenant}}, {@code lodge_distributor_bytes_received_total{tenant}}.
 * Shared by the validator, the limiters and the ingester (too far behind, duplicates, stream limit).
 * Thread-safe.
 */
public final class ValidationMetrics {
  private final Counter discardedSamples;
  private final Counter discardedBytes;
  private final Counter linesReceived;
  private final Counter bytesReceived;

  public ValidationMetrics(PrometheusRegistry registry) {
    // the library appends _total to counter names in the exposition; names here go without it
    discardedSamples = Counter.builder().name("lodge_discarded_samples")
        .help("The total number of samples that were discarded.").labelNames("reason", "tenant").register(registry);
    discardedBytes = Counter.builder().name("lodge_discarded_bytes")
        .help("The total number of bytes that were discarded.").labelNames("reason", "tenant").register(registry);
    linesReceived = Counter.builder().name("lodge_distributor_lines_received")
        .help("The total number of lines received per tenant.").labelNames("tenant").register(registry);
    bytesReceived = Counter.builder().name("lodge_distributor_bytes_received")
        .help("The total number of uncompressed bytes received per tenant, structured metadata included.")
        .labelNames("tenant").register(registry);
  }

  /** Counts {@code lines} entries totalling {@code bytes} (line + structured metadata) discarded for {@code reason}. */
  public void discarded(DiscardReason reason, String tenant, long lines, long bytes) {
    if (lines > 0) discardedSamples.labelValues(reason.label(), tenant).inc(lines);
    if (bytes > 0) discardedBytes.labelValues(reason.label(), tenant).inc(bytes);
  }

  /** Counts validated entries of a push (Loki counts them before the rate limit). */
  public void received(String tenant, long lines, long bytes) {
    if (lines > 0) linesReceived.labelValues(tenant).inc(lines);
    if (bytes > 0) bytesReceived.labelValues(tenant).inc(bytes);
  }

  /** Current value of the discarded-samples counter (for tests and status pages). */
  public long discardedSamples(DiscardReason reason, String tenant) {
    return discardedSamples.labelValues(reason.label(), tenant).getLongValue();
  }

  /** Current value of the discarded-bytes counter. */
  public long discardedBytes(DiscardReason reason, String tenant) {
    return discardedBytes.labelValues(reason.label(), tenant).getLongValue();
  }

  /** Current value of the lines-received counter. */
  public long linesReceived(String tenant) {
    return linesReceived.labelValues(tenant).getLongValue();
  }

  /** Current value of the bytes-received counter. */
  public long bytesReceived(String tenant) {
    return bytesReceived.labelValues(tenant).getLongValue();
  }
}
