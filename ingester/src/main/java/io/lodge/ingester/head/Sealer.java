package io.lodge.ingester.head;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compresses full head blocks off the WAL thread, so that applying records never waits for zstd. When
 * more than {@code maxPending} blocks wait, the caller seals inline: the WAL thread slows down instead
 * of raw blocks piling up in memory.
 *
 * <p>During WAL replay the sealer can be put on {@link #hold}: full blocks then stay raw (readable, and
 * counted at their raw size by the head bound) up to a byte budget, and {@link #release} queues them
 * for compression once replay is done, so the ingester becomes ready without waiting for zstd.
 */
public final class Sealer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sealer.class);
  private final BlockCodec codec;
  private final ExecutorService pool;
  private final AtomicInteger pending = new AtomicInteger();
  private final Object holdLock = new Object();
  /** Blocks kept raw while on hold; null when not holding. */
  private java.util.List<HeadBlock> held;
  private long heldBytes;
  private long maxHeldBytes;
  /** Released blocks still queued: counted apart from {@link #pending} so they never force inline sealing. */
  private final AtomicInteger backlog = new AtomicInteger();
  private final int maxPending;

  public Sealer(BlockCodec codec, int threads, int maxPending) {
    this.codec = codec;
    this.maxPending = maxPending;
    AtomicInteger n = new AtomicInteger();
    this.pool = threads <= 0 ? null : new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "lodge-sealer-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** A sealer that compresses inline, on the caller's thread. */
  public static Sealer inline(BlockCodec codec) {
    return new Sealer(codec, 0, 0);
  }

  /** Keeps full blocks raw, up to {@code maxBytes} of raw entries, until {@link #release()}. */
  public void hold(long maxBytes) {
    synchronized (holdLock) {
      if (held == null) held = new java.util.ArrayList<>();
      maxHeldBytes = maxBytes;
    }
  }

  /** Ends a hold: queues every held block for compression (inline without a pool). Returns how many. */
  public int release() {
    java.util.List<HeadBlock> blocks;
    synchronized (holdLock) {
      blocks = held;
      held = null;
      heldBytes = 0;
    }
    if (blocks == null) return 0;
    for (HeadBlock b : blocks) {
      if (pool == null) {
        b.seal(codec);
        continue;
      }
      backlog.incrementAndGet();
      try {
        pool.execute(() -> {
          try {
            b.seal(codec);
          } catch (RuntimeException e) {
            log.atError().addKeyValue("err", e.toString()).setCause(e).log("sealing a head block failed");
          } finally {
            backlog.decrementAndGet();
          }
        });
      } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
        backlog.decrementAndGet();
        b.seal(codec);
      }
    }
    return blocks.size();
  }

  void submit(HeadBlock block) {
    synchronized (holdLock) {
      if (held != null && heldBytes + block.rawBytes() <= maxHeldBytes) {
        held.add(block);
        heldBytes += block.rawBytes();
        return;
      }
    }
    if (pool == null || pending.get() >= maxPending) {
      block.seal(codec);
      return;
    }
    pending.incrementAndGet();
    try {
      pool.execute(() -> {
        try {
          block.seal(codec);
        } catch (RuntimeException e) {
          // the block stays raw and readable; the flusher seals it inline and reports a failure there
          log.atError().addKeyValue("err", e.toString()).setCause(e).log("sealing a head block failed");
        } finally {
          pending.decrementAndGet();
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
      pending.decrementAndGet();
      block.seal(codec);
    }
  }

  /** Blocks waiting for compression (held ones not counted). */
  public int pending() {
    return pending.get() + backlog.get();
  }

  @Override
  public void close() {
    if (pool == null) return;
    pool.shutdown();
    try {
      if (!pool.awaitTermination(30, TimeUnit.SECONDS)) pool.shutdownNow();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pool.shutdownNow();
    }
  }
}
