package io.lodge.ingester.wal;

import java.time.Duration;

/**
 * What {@link WalReplay#replay} did.
 *
 * @param segments segment files read
 * @param records records handed to the handler
 * @param bytes payload bytes handed to the handler
 * @param tornTailTruncatedBytes bytes cut off segment tails (torn writes, unacknowledged data of a
 *     failed write) and torn segment files deleted
 * @param skippedCorruptBytes bytes skipped over as corrupt (only with skipCorrupt)
 * @param duration wall time of the replay
 */
public record ReplayStats(int segments, long records, long bytes, long tornTailTruncatedBytes,
    long skippedCorruptBytes, Duration duration) {}
