package io.lodge.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * The measured window's bodies of an open-loop run ({@code --pre-encode}), one per slot, body {@code i}
 * stamped {@code i} push intervals after {@code firstWallNanos}: the wall time slot {@code i} falls due
 * when the run encodes during its warmup, or that less the encoding time when it has no warmup and
 * encodes before its clock starts. Encoder threads start at once and share out the
 * slots; the run starts them with its warmup (or waits for all of them when it has none), so that on a
 * machine the generator shares with the server the measured window spends the generator's CPU on
 * sending alone. A sent body is dropped. When an encoder thread fails, {@link #take} and
 * {@link #awaitAll} throw instead of waiting for the body it never made.
 */
final class PreEncodedBodies implements BodySource {
  private final AtomicReferenceArray<PushBody> bodies;
  private final long firstWallNanos;
  private final double intervalNanos;
  private final AtomicLong next = new AtomicLong();
  private final AtomicLong encoded = new AtomicLong();
  private final List<Thread> encoders = new ArrayList<>();
  private volatile boolean closed;
  private volatile long readyNanos;
  private volatile Throwable failure; // what stopped an encoder thread: take() reports it instead of waiting
  private volatile long encodedAtFirstSend = -1;

  /**
   * @param generators makes the generator of one encoder thread; all must build identical bodies
   * @param firstWallNanos the wall time slot 0 is due
   * @param memoryBudget bytes the bodies may take; the constructor refuses more, before encoding them
   */
  PreEncodedBodies(IntFunction<PushBodyGenerator> generators, int threads, long count, long firstWallNanos,
      double intervalNanos, long memoryBudget) {
    if (count < 1 || count > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "--pre-encode cannot hold %,d bodies: lower --rate or shorten --duration", count));
    }
    this.bodies = new AtomicReferenceArray<>((int) count);
    this.firstWallNanos = firstWallNanos;
    this.intervalNanos = intervalNanos;
    PushBodyGenerator first = generators.apply(0);
    PushBody probe = first.body(0, dueWallNanos(0));
    long need = count * (probe.body().length + 64L);
    if (need > memoryBudget) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "--pre-encode would hold %,d bodies of about %,d KB (%,d MB) but this JVM has %,d MB to spare: lower --rate or"
              + " shorten --duration, or give the generator a larger heap (e.g. JAVA_TOOL_OPTIONS=-Xmx8g)",
          count, probe.body().length >> 10, need >> 20, memoryBudget >> 20));
    }
    bodies.set(0, probe);
    next.set(1);
    encoded.set(1);
    if (count == 1) readyNanos = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      PushBodyGenerator gen = t == 0 ? first : generators.apply(t);
      encoders.add(Thread.ofPlatform().daemon().name("bench-generator").start(() -> encode(gen)));
    }
  }

  private long dueWallNanos(long slot) {
    return firstWallNanos + (long) (slot * intervalNanos);
  }

  private void encode(PushBodyGenerator gen) {
    long count = bodies.length();
    long i;
    try {
      while (!closed && failure == null && (i = next.getAndIncrement()) < count) {
        bodies.set((int) i, gen.body(i, dueWallNanos(i)));
        if (encoded.incrementAndGet() == count) readyNanos = System.nanoTime();
      }
    } catch (RuntimeException | OutOfMemoryError e) {
      failure = e; // the slot this thread held stays empty: a sender waiting for it must not wait forever
    }
  }

  /** Blocks until every body is encoded; throws when an encoder failed. */
  void awaitAll() throws InterruptedException {
    for (Thread t : encoders) t.join();
    checkFailure();
  }

  private void checkFailure() {
    Throwable f = failure;
    if (f != null) throw new IllegalStateException("encoding the pre-encoded bodies failed: " + f, f);
  }

  /** How many bodies were encoded when the first one was taken to be sent (-1 before that). */
  long encodedAtFirstSend() {
    return encodedAtFirstSend;
  }

  /** Bodies encoded so far, of {@link #count()}. */
  long encoded() {
    return encoded.get();
  }

  long count() {
    return bodies.length();
  }

  /** {@link System#nanoTime()} when the last body was encoded, 0 while some are not. */
  long readyNanos() {
    return readyNanos;
  }

  /** Null when {@code slot} is past the last body, as when it is not encoded yet. */
  @Override
  public PushBody poll(long slot) {
    if (slot == 0 && encodedAtFirstSend < 0) encodedAtFirstSend = encoded.get();
    return slot < bodies.length() ? bodies.getAndSet((int) slot, null) : null;
  }

  @Override
  public PushBody take(long slot) throws InterruptedException {
    if (slot >= bodies.length()) throw new IllegalArgumentException("slot " + slot + " is past the run's " + bodies.length() + " bodies");
    PushBody b;
    while ((b = poll(slot)) == null) {
      if (Thread.interrupted()) throw new InterruptedException();
      checkFailure();
      LockSupport.parkNanos(100_000);
    }
    return b;
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    for (Thread t : encoders) t.join();
  }
}
