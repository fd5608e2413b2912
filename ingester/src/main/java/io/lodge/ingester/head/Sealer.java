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
 */
public final class Sealer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sealer.class);
  private final BlockCodec codec;
  private final ExecutorService pool;
  private final AtomicInteger pending = new AtomicInteger();
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

  void submit(HeadBlock block) {
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

  /** Blocks waiting for compression. */
  public int pending() {
    return pending.get();
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
