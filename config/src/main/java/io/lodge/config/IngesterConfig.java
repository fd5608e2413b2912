package io.lodge.config;

import java.time.Duration;

/**
 * Loki's {@code ingester} block: when chunks are cut and flushed. A chunk is cut when it reaches
 * {@code chunk_target_size} compressed bytes, {@code max_chunk_age} since its first entry arrived, or
 * {@code chunk_idle_period} without appends. {@code chunk_block_size} is the raw size of one block.
 * Lodge's own {@code max_head_bytes} bounds the memory the head may hold: above it, streams (those holding
 * the most compressed blocks first) are cut and flushed early (0 = unbounded). {@code concurrent_flushes} chunk writes run at once (Loki's
 * default 32; Lodge writes a cycle's chunks as packs of ~8 MiB, so only a large cycle has several).
 * {@code line_dictionaries} is Lodge's own ({@link LineDictionaryConfig}).
 */
public record IngesterConfig(
    long chunkTargetSize,
    long chunkBlockSize,
    Duration maxChunkAge,
    Duration chunkIdlePeriod,
    Duration flushCheckPeriod,
    Duration chunkRetainPeriod,
    WalConfig wal,
    long maxHeadBytes,
    int concurrentFlushes,
    LineDictionaryConfig lineDictionaries) {

  public static IngesterConfig defaults() {
    return new IngesterConfig(1536 * 1024, 256 * 1024, Duration.ofHours(2), Duration.ofMinutes(30),
        Duration.ofSeconds(30), Duration.ZERO, WalConfig.defaults(), 512L << 20, 32,
        LineDictionaryConfig.defaults());
  }
}
