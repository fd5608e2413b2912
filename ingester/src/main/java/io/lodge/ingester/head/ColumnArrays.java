package io.lodge.ingester.head;

import io.lodge.ingester.model.Label;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The per-entry arrays of a big open block (timestamps, line ends, metadata), recycled through a bounded
 * pool (256 sets) like its pages ({@link LinePages}). An open block starts with small arrays of its own and
 * doubles them; once it passes {@value #MIN_POOLED} entries it moves to a pooled set, usually one a
 * previous block grew to the block's size, so a full block stops reallocating its columns (doubling
 * from 32 to ~2,000 entries left ~60 KB of garbage per block, ~35 bytes per 150-byte line).
 *
 * <p>Same ownership rule as pages: a set goes back only when the block that holds it is sealed and unused
 * ({@link HeadBlock}), or when the open block itself moves to a bigger set (under its stream's lock, where
 * nobody else reads it). Metadata slots are cleared on the way back: a set in the pool pins no block's
 * metadata, and a block taking it finds every slot empty.
 */
final class ColumnArrays {
  /** Blocks smaller than this keep arrays of their own: small blocks stay small. */
  static final int MIN_POOLED = 512;
  /** Sets grown beyond this by a block of tiny lines are left to the GC rather than pinned in the pool. */
  static final int MAX_POOLED = 1 << 13;
  private static final ArrayBlockingQueue<ColumnArrays> POOL = new ArrayBlockingQueue<>(256);

  final long[] timestamps;
  final int[] lineEnds;
  final List<Label>[] metadata;

  @SuppressWarnings("unchecked")
  private ColumnArrays(int capacity) {
    timestamps = new long[capacity];
    lineEnds = new int[capacity];
    metadata = (List<Label>[]) new List<?>[capacity];
  }

  int capacity() {
    return timestamps.length;
  }

  /** A set of at least {@code capacity} entries, every metadata slot empty: a pooled one if it is big enough. */
  static ColumnArrays take(int capacity) {
    ColumnArrays c = POOL.poll();
    if (c != null && c.capacity() >= capacity) return c;
    return new ColumnArrays(Math.max(capacity, MIN_POOLED)); // a pooled set too small is left to the GC
  }

  /** Returns a set nobody references any more, {@code used} of its entries written. */
  static void give(ColumnArrays c, int used) {
    if (c.capacity() > MAX_POOLED) return;
    Arrays.fill(c.metadata, 0, Math.min(used, c.capacity()), null);
    POOL.offer(c);
  }

  /** Empties the pool (for tests that check what comes back). */
  static void clear() {
    POOL.clear();
  }

  /** True when this very set is pooled now (for tests). */
  static boolean isPooled(ColumnArrays c) {
    return POOL.contains(c);
  }
}
