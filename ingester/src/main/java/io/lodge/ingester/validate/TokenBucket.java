package io.lodge.ingester.validate;

/**
 * A token bucket on bytes with the semantics of Go's {@code x/time/rate} limiter that Loki uses: it starts
 * full, refills at {@code rate} tokens per second up to {@code burst}, and {@link #tryTake} takes all of
 * {@code n} or nothing; a request for more than {@code burst} can never pass. Time comes from the caller
 * (Unix or monotonic nanoseconds, only differences matter), so tests need no sleeps. Not thread-safe:
 * owners serialise access (a lock or a map compute).
 */
final class TokenBucket {
  private final double ratePerNano;
  private final long burst;
  private double tokens;
  private long lastNanos;

  TokenBucket(double ratePerSecond, long burst, long nowNanos) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.lastNanos = nowNanos;
  }

  /** Takes {@code n} tokens if available at {@code nowNanos}; otherwise takes none and returns false. */
  boolean tryTake(long n, long nowNanos) {
    refill(nowNanos);
    if (n > burst || tokens < n) return false;
    tokens -= n;
    return true;
  }

  /** True when the bucket is full at {@code nowNanos}: forgetting it then changes nothing. */
  boolean isFull(long nowNanos) {
    refill(nowNanos);
    return tokens >= burst;
  }

  double tokens(long nowNanos) {
    refill(nowNanos);
    return tokens;
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed <= 0) return; // a clock that goes back refills nothing (as x/time/rate)
    tokens = Math.min(burst, tokens + elapsed * ratePerNano);
    lastNanos = nowNanos;
  }
}
