package io.lodge.ingester;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * One piece of startup work on a daemon thread of its own, so that it overlaps the caller's work on the
 * second core; {@link #join()} waits for it and rethrows what it threw.
 *
 * <p>Most of a fresh JVM's time to ready is class loading, static initialisation and interpreted code,
 * each on one thread: independent parts (logging, the configuration, gRPC, the JVM metrics, the index)
 * finish sooner side by side.
 */
public final class StartupTask {
  private final String name;
  private final FutureTask<Void> task;

  private StartupTask(String name, FutureTask<Void> task) {
    this.name = name;
    this.task = task;
  }

  /** Starts {@code work} on a new daemon thread named {@code name}. */
  public static StartupTask start(String name, Runnable work) {
    FutureTask<Void> task = new FutureTask<>(work, null);
    Thread.ofPlatform().name(name).daemon().start(task);
    return new StartupTask(name, task);
  }

  /** Waits for the work; its unchecked exception or error is rethrown as it was thrown. */
  public void join() {
    try {
      task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + name, e);
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case RuntimeException r -> throw r;
        case Error err -> throw err;
        default -> throw new IllegalStateException(name + " failed: " + e.getCause().getMessage(), e.getCause());
      }
    }
  }
}
