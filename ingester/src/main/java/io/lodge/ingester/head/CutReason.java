package io.lodge.ingester.head;

/** Why a stream's head data was cut into a chunk (the {@code reason} label of the flush metrics). */
public enum CutReason {
  FULL, MAX_AGE, IDLE, WAL_PRESSURE, MEMORY_PRESSURE, FORCED, FORCED_RETIRE;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
