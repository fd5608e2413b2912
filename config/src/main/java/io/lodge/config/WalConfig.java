package io.lodge.config;

import java.nio.file.Path;

/**
 * Loki's {@code ingester.wal} block plus Lodge's durability knobs: {@code sync} (fsync before a push is
 * acknowledged; default true), {@code segment_size}, {@code max_size} (total WAL bytes before the
 * oldest streams are flushed early) and {@code skip_corrupt_records} (replay past a corrupt middle).
 * {@code dir} null means {@code <path_prefix>/wal}.
 */
public record WalConfig(
    boolean enabled,
    Path dir,
    boolean sync,
    long segmentSize,
    long maxSize,
    boolean skipCorruptRecords,
    boolean flushOnShutdown) {

  public static WalConfig defaults() {
    return new WalConfig(true, null, true, 128L << 20, 1L << 30, false, false);
  }
}
