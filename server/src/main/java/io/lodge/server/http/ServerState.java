package io.lodge.server.http;

import java.util.concurrent.TimeUnit;

/**
 * What every connection of one {@link HttpServer} shares: whether the server is draining (answer
 * in-flight requests, then close) and how many requests are being served, so close() can wait for them.
 */
final class ServerState {
  private volatile boolean draining;
  private int inFlight; // guarded by this

  boolean draining() {
    return draining;
  }

  void startDraining() {
    draining = true;
  }

  synchronized void requestStarted() {
    inFlight++;
  }

  synchronized void requestFinished() {
    inFlight--;
    if (inFlight == 0) notifyAll();
  }

  synchronized int inFlight() {
    return inFlight;
  }

  /** Waits until no request is in flight; false when the timeout passed first. */
  synchronized boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (inFlight > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return false;
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }
}
