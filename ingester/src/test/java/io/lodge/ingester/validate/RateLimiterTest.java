package io.lodge.ingester.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.model.LabelSet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  static final long SEC = 1_000_000_000L;
  static final long MIB = 1L << 20;
  private final ValidationMetrics metrics = new ValidationMetrics(new PrometheusRegistry());

  @Test
  void tokenBucketStartsFullRefillsAndCapsAtBurst() {
    TokenBucket b = new TokenBucket(100, 300, 0);
    assertThat(b.tryTake(300, 0)).isTrue();
    assertThat(b.tryTake(1, 0)).isFalse();
    assertThat(b.tryTake(50, SEC / 2)).isTrue();   // 50 refilled
    assertThat(b.tryTake(1, SEC / 2)).isFalse();
    assertThat(b.tokens(100 * SEC)).isEqualTo(300.0); // capped
    assertThat(b.tryTake(301, 100 * SEC)).isFalse();  // more than the burst: never
    assertThat(b.tryTake(300, 100 * SEC)).isTrue();
  }

  @Test
  void refusedTakeTakesNothing() {
    TokenBucket b = new TokenBucket(100, 300, 0);
    assertThat(b.tryTake(200, 0)).isTrue();
    assertThat(b.tryTake(150, 0)).isFalse();
    assertThat(b.tryTake(100, 0)).isTrue();
  }

  @Test
  void clockGoingBackRefillsNothing() {
    TokenBucket b = new TokenBucket(100, 300, 10 * SEC);
    assertThat(b.tryTake(300, 10 * SEC)).isTrue();
    assertThat(b.tryTake(1, 5 * SEC)).isFalse();
    assertThat(b.tryTake(100, 11 * SEC)).isTrue();
  }

  @Test
  void tenantLimiterUsesLokiDefaultsAndMessage() {
    TenantRateLimiter l = new TenantRateLimiter(LimitsConfig.defaults(), metrics);
    assertThat(l.limitBytesPerSecond()).isEqualTo(4 * MIB);
    assertThat(l.tryAcquire("t", 10, 6 * MIB, 0)).isEmpty();
    assertThat(l.tryAcquire("t", 3, 1000, 0)).contains("Ingestion rate limit exceeded for user t (limit: 4194304 "
        + "bytes/sec) while attempting to ingest '3' lines totaling '1000' bytes, reduce log volume or contact your "
        + "Loki administrator to see if the limit can be increased");
    assertThat(metrics.discardedSamples(DiscardReason.RATE_LIMITED, "t")).isEqualTo(3);
    assertThat(metrics.discardedBytes(DiscardReason.RATE_LIMITED, "t")).isEqualTo(1000);
    // other tenants have their own bucket
    assertThat(l.tryAcquire("u", 1, 1000, 0)).isEmpty();
    // one second later 4 MiB are back
    assertThat(l.tryAcquire("t", 1, 4 * MIB, SEC)).isEmpty();
    assertThat(l.tryAcquire("t", 1, 1, SEC)).isPresent();
  }

  @Test
  void aPushLargerThanTheBurstNeverPasses() {
    TenantRateLimiter l = new TenantRateLimiter(LimitsConfig.defaults(), metrics);
    for (long t = 0; t < 100; t++) assertThat(l.tryAcquire("t", 1, 6 * MIB + 1, t * 10 * SEC)).isPresent();
  }

  @Test
  void zeroRateDisablesTheTenantLimit() {
    TenantRateLimiter l = new TenantRateLimiter(TestLimits.with("ingestionRateMb", 0.0), metrics);
    assertThat(l.tryAcquire("t", 1, Long.MAX_VALUE / 2, 0)).isEmpty();
  }

  @Test
  void streamLimiterIsAllOrNothingPerBatchWithLokiMessage() {
    StreamRateLimiter l = new StreamRateLimiter(LimitsConfig.defaults(), metrics);
    LabelSet s = LabelSet.of("app", "web");
    assertThat(l.tryAcquire("t", s, 100, 15 * MIB, 0)).isEmpty();
    assertThat(l.tryAcquire("t", s, 2, 2 * MIB, 0)).contains("Per stream rate limit exceeded (limit: 3MB/sec) while "
        + "attempting to ingest for stream '{app=\"web\"}' totaling 2MB, consider splitting a stream via additional "
        + "labels or contact your Loki administrator to see if the limit can be increased");
    assertThat(metrics.discardedSamples(DiscardReason.PER_STREAM_RATE_LIMIT, "t")).isEqualTo(2);
    // another stream of the same tenant, and the same stream of another tenant, are independent
    assertThat(l.tryAcquire("t", LabelSet.of("app", "db"), 1, MIB, 0)).isEmpty();
    assertThat(l.tryAcquire("u", s, 1, MIB, 0)).isEmpty();
    assertThat(l.tryAcquire("t", s, 1, 3 * MIB, SEC)).isEmpty();
    assertThat(l.tryAcquire("t", s, 1, 15 * MIB + 1, 3600 * SEC)).get().asString().contains("totaling 15728641B");
  }

  @Test
  void idleStreamsAreForgotten() {
    StreamRateLimiter l = new StreamRateLimiter(TestLimits.with(Map.of("perStreamRateLimit", 1000L,
        "perStreamRateLimitBurst", 1000L)), metrics);
    for (int i = 0; i < 100; i++) l.tryAcquire("t", LabelSet.of("i", Integer.toString(i)), 1, 500, 0);
    l.tryAcquire("t", LabelSet.of("busy", "1"), 1, 1000, 0);
    assertThat(l.trackedStreams()).isEqualTo(101);
    // 0.5 s later the half-used buckets are full again, the busy one is not
    l.sweep(SEC / 2);
    assertThat(l.trackedStreams()).isEqualTo(1);
    // sweeps also happen on their own as time passes
    l.tryAcquire("t", LabelSet.of("busy", "1"), 1, 1000, 10 * SEC);
    for (int i = 0; i < 50; i++) l.tryAcquire("t", LabelSet.of("j", Integer.toString(i)), 1, 1, 10 * SEC);
    l.tryAcquire("t", LabelSet.of("busy", "1"), 1, 1000, 10 * SEC + StreamRateLimiter.SWEEP_INTERVAL_NANOS + 1);
    assertThat(l.trackedStreams()).isEqualTo(1);
  }

  @Test
  void ingestionBlockUntilAnInstant() {
    java.time.Instant until = java.time.Instant.parse("2024-01-02T03:04:05Z");
    long untilNanos = until.getEpochSecond() * SEC;
    IngestionBlock b = new IngestionBlock(TestLimits.with("blockIngestionUntil", until), metrics);
    IngestionBlock.Blocked blocked = b.check("t", 4, 40, untilNanos - 1).orElseThrow();
    assertThat(blocked.status()).isEqualTo(260);
    assertThat(blocked.silentSuccess()).isFalse();
    assertThat(blocked.message()).isEqualTo("ingestion blocked for user t until '2024-01-02T03:04:05Z' with status code '260'");
    assertThat(metrics.discardedSamples(DiscardReason.BLOCKED_INGESTION, "t")).isEqualTo(4);
    assertThat(b.check("t", 4, 40, untilNanos)).isEmpty();
    assertThat(new IngestionBlock(LimitsConfig.defaults(), metrics).check("t", 1, 1, 0)).isEmpty();
    IngestionBlock ok = new IngestionBlock(TestLimits.with(Map.of("blockIngestionUntil", until,
        "blockIngestionStatusCode", 200)), metrics);
    assertThat(ok.check("t", 1, 1, 0).orElseThrow().silentSuccess()).isTrue();
  }

  @Test
  void concurrentTakersNeverOverdrawAStream() throws InterruptedException {
    StreamRateLimiter l = new StreamRateLimiter(TestLimits.with(Map.of("perStreamRateLimit", 1L,
        "perStreamRateLimitBurst", 1000L)), metrics);
    LabelSet s = LabelSet.of("app", "web");
    java.util.concurrent.atomic.AtomicInteger granted = new java.util.concurrent.atomic.AtomicInteger();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 500; i++) {
          if (l.tryAcquire("t", s, 1, 1, 0).isEmpty()) granted.incrementAndGet();
          if (i % 100 == 0) l.sweep(0);
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) t.join();
    assertThat(granted.get()).isEqualTo(1000);
  }
}
