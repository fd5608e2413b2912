package io.lodge.ingester.head;

/**
 * When a stream is cut: target compressed size, max chunk age and idle time (from the ingester config),
 * plus two overrides: {@code force} cuts everything (shutdown, /flush) and {@code walSegmentBelow} cuts
 * streams still holding entries from WAL segments below it, so the WAL can be truncated; at most
 * {@code walCutLimit} streams are cut for that reason in one cycle (the others wait for the next), so
 * that freeing a WAL segment every stream wrote into is spread over several cycles.
 */
public record FlushPolicy(
    long targetCompressedBytes, long maxAgeNanos, long idleNanos, boolean force, long walSegmentBelow,
    int walCutLimit) {

  /** A policy without a limit on WAL-pressure cuts. */
  public FlushPolicy(long targetCompressedBytes, long maxAgeNanos, long idleNanos, boolean force, long walSegmentBelow) {
    this(targetCompressedBytes, maxAgeNanos, idleNanos, force, walSegmentBelow, Integer.MAX_VALUE);
  }
}
