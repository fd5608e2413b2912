package io.lodge.ingester;

/** Whether the ingester serves writes yet: starting, replaying the WAL, ready, or stopping. */
public final class IngesterState {
  private volatile String reason = "starting";
  private volatile boolean ready;

  public boolean isReady() {
    return ready;
  }

  /** Why it is not ready (empty when ready). */
  public String reason() {
    return ready ? "" : reason;
  }

  void notReady(String why) {
    ready = false;
    reason = why;
  }

  void ready() {
    reason = "";
    ready = true;
  }
}
