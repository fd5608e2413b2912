package io.lodge.ingester.validate;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.model.LabelSet;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The per-stream rate limit (LOKI-COMPAT 1.9): a token bucket per (tenant, stream) with rate
 * {@code per_stream_rate_limit} and burst {@code per_stream_rate_limit_burst}, charged with a stream's whole
 * batch of one push, all or nothing (Loki with {@code shard_streams.enabled}, its default). The ingester
 * calls it per stream after the tenant limit; a refusal is a 429 whose reason text goes into the
 * per-stream report of {@link StreamLimitMessage#ingesterReport}. Buckets of idle streams are full and
 * forgetting them changes nothing, so they are swept periodically: memory follows the active streams.
 * A rate of 0 disables the limit. Thread-safe.
 */
public final class StreamRateLimiter {
  /** How often (in the caller's clock) full buckets are swept away. */
  static final long SWEEP_INTERVAL_NANOS = 60_000_000_000L;

  private record Key(String tenant, LabelSet stream) {}

  private final long rate;
  private final long burst;
  private final ValidationMetrics metrics;
  private final ConcurrentHashMap<Key, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);

  public StreamRateLimiter(LimitsConfig limits, ValidationMetrics metrics) {
    this.rate = limits.perStreamRateLimit();
    this.burst = limits.perStreamRateLimitBurst();
    this.metrics = metrics;
  }

  /**
   * Charges a stream's batch ({@code lines} entries, {@code bytes} line + metadata bytes) at {@code nowNanos}.
   * Returns empty when allowed, else Loki's reason text (and counts the batch as
   * {@code per_stream_rate_limit}).
   */
  public Optional<String> tryAcquire(String tenant, LabelSet stream, long lines, long bytes, long nowNanos) {
    if (rate <= 0) return Optional.empty();
    maybeSweep(nowNanos);
    // take inside compute: the map's bin lock orders it against the sweep, so no take lands in a bucket
    // that is being forgotten
    boolean[] ok = new boolean[1];
    buckets.compute(new Key(tenant, stream), (k, b) -> {
      TokenBucket bucket = b != null ? b : new TokenBucket(rate, burst, nowNanos);
      ok[0] = bucket.tryTake(bytes, nowNanos);
      return bucket;
    });
    if (ok[0]) return Optional.empty();
    metrics.discarded(DiscardReason.PER_STREAM_RATE_LIMIT, tenant, lines, bytes);
    return Optional.of(message(rate, stream, bytes));
  }

  /** Loki's {@code ErrStreamRateLimit} text; sizes as {@link GoByteSize}. */
  public static String message(long rateBytesPerSecond, LabelSet stream, long bytes) {
    return "Per stream rate limit exceeded (limit: " + GoByteSize.format(rateBytesPerSecond)
        + "/sec) while attempting to ingest for stream '" + stream.canonical() + "' totaling "
        + GoByteSize.format(bytes) + ", consider splitting a stream via additional labels or contact your Loki "
        + "administrator to see if the limit can be increased";
  }

  /** Number of streams currently tracked (for tests and metrics). */
  public int trackedStreams() {
    return buckets.size();
  }

  /** Forgets every bucket that is full at {@code nowNanos}; called periodically, public for tests and shutdown. */
  public void sweep(long nowNanos) {
    for (Key k : buckets.keySet()) buckets.computeIfPresent(k, (key, b) -> b.isFull(nowNanos) ? null : b);
  }

  private void maybeSweep(long nowNanos) {
    long due = nextSweep.get();
    if (due != Long.MIN_VALUE && nowNanos - due < 0) return;
    if (!nextSweep.compareAndSet(due, nowNanos + SWEEP_INTERVAL_NANOS)) return; // another thread sweeps
    if (due != Long.MIN_VALUE) sweep(nowNanos);
  }
}
