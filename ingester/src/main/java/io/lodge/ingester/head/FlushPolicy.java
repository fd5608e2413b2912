package io.lodge.ingester.head;

/**
 * When a stream is cut: target compressed size, max chunk age and idle time (from the ingester config),
 * plus two overrides: {@code force} cuts everything (shutdown, /flush) and {@code walSegmentBelow} cuts
 * streams still holding entries from WAL segments below it, so the WAL can be truncated.
 */
public record FlushPolicy(
    long targetCompressedBytes, long maxAgeNanos, long idleNanos, boolean force, long walSegmentBelow) {}
