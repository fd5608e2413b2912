package io.lodge.ingester.validate;

import io.lodge.config.LimitsConfig;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-tenant ingestion rate limit (LOKI-COMPAT 1.9): a token bucket on the bytes (line + structured
 * metadata, {@code detected_level} excluded) of a push's validated entries, rate
 * {@code ingestion_rate_mb} MiB/s and burst {@code ingestion_burst_size_mb} MiB. A refused push is refused
 * whole (429) and counted as {@code rate_limited}. Runs after validation and the block check. A rate of
 * 0 disables the limit. Thread-safe.
 */
public final class TenantRateLimiter {
  private final long rate;
  private final long burst;
  private final ValidationMetrics metrics;
  private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  public TenantRateLimiter(LimitsConfig limits, ValidationMetrics metrics) {
    this.rate = limits.ingestionRateBytes();
    this.burst = limits.ingestionBurstBytes();
    this.metrics = metrics;
  }

  /**
   * Charges {@code bytes} to the tenant's bucket at {@code nowNanos}. Returns empty when allowed, else the
   * 429 message (and counts the push as discarded, {@code rate_limited}).
   */
  public Optional<String> tryAcquire(String tenant, long lines, long bytes, long nowNanos) {
    if (rate <= 0) return Optional.empty();
    TokenBucket bucket = buckets.computeIfAbsent(tenant, t -> new TokenBucket(rate, burst, nowNanos));
    boolean ok;
    synchronized (bucket) {
      ok = bucket.tryTake(bytes, nowNanos);
    }
    if (ok) return Optional.empty();
    metrics.discarded(DiscardReason.RATE_LIMITED, tenant, lines, bytes);
    return Optional.of(ValidationMessages.rateLimited(tenant, rate, lines, bytes));
  }

  /** The limit in bytes per second as Loki prints it. */
  public long limitBytesPerSecond() {
    return rate;
  }
}
