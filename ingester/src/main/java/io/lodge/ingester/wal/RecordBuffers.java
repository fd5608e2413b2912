package io.lodge.ingester.wal;

import io.lodge.ingester.pool.ByteArrayPool;

/**
 * Arrays that WAL record payloads are encoded into, recycled once the record is written: at a million
 * lines a second a fresh ~160 KB payload per push was a third of the ingest path's allocation, and G1
 * collects the more often the more a push allocates. Sizes are powers of two from {@value #MIN_SIZE}
 * to {@value #MAX_SIZE} bytes; each size class pools at most {@value #POOL_BYTES_PER_CLASS} bytes (40 MiB
 * over the five classes, in practice the one class pushes of a shipper's batch size fall in), so what
 * sits idle here is bounded; a bigger payload gets an array of its own that is never pooled.
 *
 * <p>Who may hold an array: the encoder that took it, then the WAL writer until the record's append
 * completes (written, and synced when sync is on, or failed); only then does {@link #give} put it back. A
 * pooled array is referenced by nobody else.
 */
public final class RecordBuffers {
  static final int MIN_SIZE = 1 << 16;
  static final int MAX_SIZE = 1 << 20;
  static final int POOL_BYTES_PER_CLASS = 8 << 20;
  private static final ByteArrayPool POOL = new ByteArrayPool(MIN_SIZE, MAX_SIZE, new int[] {
      POOL_BYTES_PER_CLASS, POOL_BYTES_PER_CLASS, POOL_BYTES_PER_CLASS, POOL_BYTES_PER_CLASS, POOL_BYTES_PER_CLASS});

  private RecordBuffers() {}

  /** An array of at least {@code size} bytes: a pooled one when there is one. Its contents are garbage. */
  public static byte[] take(int size) {
    return POOL.take(POOL.roundUp(size));
  }

  /** Returns an array nobody references any more; dropped when it has no size class or its pool is full. */
  public static void give(byte[] a) {
    POOL.give(a);
  }

  /** Empties the pools (for tests that check what comes back). */
  static void clear() {
    POOL.clear();
  }

  /** Arrays pooled now (for tests). */
  static int pooled() {
    return POOL.pooled();
  }

  /** Whether this very array is pooled now (for tests). */
  static boolean isPooled(byte[] a) {
    return POOL.isPooled(a);
  }
}
