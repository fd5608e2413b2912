package io.lodge.ingester.head;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The head's last line of defence for memory: above {@code ingester.max_head_bytes} the flusher cuts
 * streams early, but when pushes outrun it (thousands of streams, a slow disk) the head would grow until
 * memory runs out. Past {@value #REFUSE_FACTOR} times the bound, pushes are refused with a 503 that
 * every shipper retries, so nothing acknowledged is lost and the process stays up until the flusher
 * catches up. The head's size is summed over its streams, so it is re-read at most every
 * {@value #RECHECK_MILLIS} ms rather than on every push.
 */
public final class HeadPressure {
  /** Refuse pushes above this multiple of {@code max_head_bytes}. */
  public static final int REFUSE_FACTOR = 2;
  // summing the head takes every stream's lock: at 20 ms it was 5.6% of ingest CPU; in 200 ms a full-speed
  // push stream adds ~30 MB, small against the bound
  private static final long RECHECK_MILLIS = 200;

  private final LongSupplier headBytes;
  private final long maxHeadBytes;
  private final long refuseAboveBytes;
  private final LongSupplier nanoTime;
  private final AtomicLong nextCheckNanos;
  private final Counter refused;
  private volatile long lastBytes;

  /** {@code maxHeadBytes} of 0 or less turns the check off. */
  public HeadPressure(LongSupplier headBytes, long maxHeadBytes, PrometheusRegistry registry, LongSupplier nanoTime) {
    this.headBytes = headBytes;
    this.maxHeadBytes = maxHeadBytes;
    this.refuseAboveBytes = maxHeadBytes > 0 ? maxHeadBytes * REFUSE_FACTOR : Long.MAX_VALUE;
    this.nanoTime = nanoTime;
    this.nextCheckNanos = new AtomicLong(nanoTime.getAsLong()); // nanoTime may be negative: compare differences
    this.refused = Counter.builder()
        .name("lodge_push_refused_head_full")
        .help("Pushes answered 503 because the head held more than twice ingester.max_head_bytes while flushing.")
        .register(registry);
  }

  /** Null when a push may go ahead, else the 503 message (and the refusal is counted). */
  public String refusal() {
    if (refuseAboveBytes == Long.MAX_VALUE) return null;
    long now = nanoTime.getAsLong();
    long next = nextCheckNanos.get();
    if (now - next >= 0 && nextCheckNanos.compareAndSet(next, now + RECHECK_MILLIS * 1_000_000L)) {
      lastBytes = headBytes.getAsLong();
    }
    long bytes = lastBytes;
    if (bytes <= refuseAboveBytes) return null;
    refused.inc();
    return "the ingester holds " + bytes + " bytes of recent data in memory, more than twice ingester.max_head_bytes ("
        + maxHeadBytes + "), while it flushes chunks; retry later";
  }
}
