package io.lodge.ingester.wal;

import java.util.concurrent.ArrayBlockingQueue;

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
  private static final int CLASSES = Integer.numberOfTrailingZeros(MAX_SIZE) - Integer.numberOfTrailingZeros(MIN_SIZE) + 1;
  private static final ArrayBlockingQueue<byte[]>[] POOLS = newPools();

  private RecordBuffers() {}

  @SuppressWarnings("unchecked")
  private static ArrayBlockingQueue<byte[]>[] newPools() {
    ArrayBlockingQueue<byte[]>[] pools = (ArrayBlockingQueue<byte[]>[]) new ArrayBlockingQueue<?>[CLASSES];
    for (int c = 0; c < CLASSES; c++) pools[c] = new ArrayBlockingQueue<>(POOL_BYTES_PER_CLASS / (MIN_SIZE << c));
    return pools;
  }

  /** An array of at least {@code size} bytes: a pooled one when there is one. Its contents are garbage. */
  public static byte[] take(int size) {
    if (size > MAX_SIZE) return new byte[size];
    int c = classOf(size);
    byte[] a = POOLS[c].poll();
    return a != null ? a : new byte[MIN_SIZE << c];
  }

  /** Returns an array nobody references any more; dropped when it has no size class or its pool is full. */
  public static void give(byte[] a) {
    int n = a.length;
    if (n < MIN_SIZE || n > MAX_SIZE || Integer.bitCount(n) != 1) return;
    POOLS[classOf(n)].offer(a);
  }

  /** Empties the pools (for tests that check what comes back). */
  static void clear() {
    for (ArrayBlockingQueue<byte[]> p : POOLS) p.clear();
  }

  /** Arrays pooled now (for tests). */
  static int pooled() {
    int n = 0;
    for (ArrayBlockingQueue<byte[]> p : POOLS) n += p.size();
    return n;
  }

  /** Whether this very array is pooled now (for tests). */
  static boolean isPooled(byte[] a) {
    for (ArrayBlockingQueue<byte[]> p : POOLS) if (p.contains(a)) return true;
    return false;
  }

  private static int classOf(int size) {
    int s = Math.max(MIN_SIZE, size);
    int bits = 32 - Integer.numberOfLeadingZeros(s - 1); // ceil(log2(s))
    return bits - Integer.numberOfTrailingZeros(MIN_SIZE);
  }
}
