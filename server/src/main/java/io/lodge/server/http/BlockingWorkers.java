package io.lodge.server.http;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed pool of threads with a bounded queue for handler work that must not run on an event loop
 * (decoding, disk, waiting). When the queue is full, {@link #execute} throws
 * {@link java.util.concurrent.RejectedExecutionException}, which {@link LokiErrors} answers with 503 so
 * clients back off: memory stays bounded however many requests arrive.
 */
public final class BlockingWorkers implements Executor, AutoCloseable {
  private final ThreadPoolExecutor pool;

  public BlockingWorkers(String name, int threads, int queueCapacity) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, "lodge-" + name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(queueCapacity), factory, new ThreadPoolExecutor.AbortPolicy());
  }

  @Override
  public void execute(Runnable task) {
    pool.execute(task);
  }

  /** Tasks queued or running. */
  public int backlog() {
    return pool.getQueue().size() + pool.getActiveCount();
  }

  /** Stops taking work and waits up to {@code timeoutMillis} for queued work to finish. */
  public void close(long timeoutMillis) throws InterruptedException {
    pool.shutdown();
    if (!pool.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) pool.shutdownNow();
  }

  @Override
  public void close() {
    try {
      close(10_000);
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
