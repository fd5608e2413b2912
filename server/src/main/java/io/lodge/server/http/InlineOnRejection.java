package io.lodge.server.http;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs the answer of a stored push on the handler's workers, off the WAL thread that completed it, or on
 * the calling thread when the workers take no more work (queue full, shutting down): the push is stored
 * by then, so its answer must not become the pool's 503.
 */
public final class InlineOnRejection implements Executor {
  private final Executor workers;

  public InlineOnRejection(Executor workers) {
    this.workers = workers;
  }

  @Override
  public void execute(Runnable task) {
    try {
      workers.execute(task);
    } catch (RejectedExecutionException full) {
      task.run();
    }
  }
}
