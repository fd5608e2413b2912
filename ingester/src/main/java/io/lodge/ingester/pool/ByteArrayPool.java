package io.lodge.ingester.pool;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Byte arrays of the power-of-two sizes from {@code minSize} to {@code maxSize}, recycled through one
 * bounded queue per size, each holding at most its share of bytes: what sits idle is bounded, and an
 * array of any other size is simply left to the GC. Arrays are not cleared; whoever takes one reads only
 * what it wrote. Safe for concurrent use.
 *
 * <p>The caller owns the rule that makes recycling safe: an array is given back only when nobody
 * references it any more (see {@code LinePages} and {@code RecordBuffers}).
 */
public final class ByteArrayPool {
  private final int minSize;
  private final int maxSize;
  private final ArrayBlockingQueue<byte[]>[] pools;

  /**
   * Pools for sizes {@code minSize << c} up to {@code maxSize} (both powers of two), size {@code c}
   * keeping at most {@code bytesPerClass[c]} bytes idle.
   */
  @SuppressWarnings("unchecked")
  public ByteArrayPool(int minSize, int maxSize, int[] bytesPerClass) {
    if (Integer.bitCount(minSize) != 1 || Integer.bitCount(maxSize) != 1 || maxSize < minSize) {
      throw new IllegalArgumentException("sizes must be powers of two, min <= max: " + minSize + ", " + maxSize);
    }
    int classes = Integer.numberOfTrailingZeros(maxSize) - Integer.numberOfTrailingZeros(minSize) + 1;
    if (bytesPerClass.length != classes) {
      throw new IllegalArgumentException(classes + " size classes need as many byte caps, got " + bytesPerClass.length);
    }
    this.minSize = minSize;
    this.maxSize = maxSize;
    this.pools = (ArrayBlockingQueue<byte[]>[]) new ArrayBlockingQueue<?>[classes];
    for (int c = 0; c < classes; c++) pools[c] = new ArrayBlockingQueue<>(Math.max(1, bytesPerClass[c] / (minSize << c)));
  }

  /** The pooled size at least {@code size} and at least the smallest, or {@code size} itself above the largest. */
  public int roundUp(int size) {
    if (size > maxSize) return size;
    return Math.max(minSize, size <= 1 ? 1 : Integer.highestOneBit(size - 1) << 1);
  }

  /** An array of exactly {@code size} bytes: a pooled one when {@code size} is a pooled size and one is idle. */
  public byte[] take(int size) {
    int c = sizeClass(size);
    if (c >= 0) {
      byte[] a = pools[c].poll();
      if (a != null) return a;
    }
    return new byte[size];
  }

  /** Returns an array nobody references any more; dropped when its size is not pooled or its pool is full. */
  public void give(byte[] a) {
    int c = sizeClass(a.length);
    if (c >= 0) pools[c].offer(a);
  }

  /** Empties the pools (for tests that check what comes back). */
  public void clear() {
    for (ArrayBlockingQueue<byte[]> p : pools) p.clear();
  }

  /** Arrays idle in the pools now (for tests). */
  public int pooled() {
    int n = 0;
    for (ArrayBlockingQueue<byte[]> p : pools) n += p.size();
    return n;
  }

  /** Whether this very array is idle in a pool now (for tests: arrays compare by identity). */
  public boolean isPooled(byte[] a) {
    int c = sizeClass(a.length);
    return c >= 0 && pools[c].contains(a);
  }

  /** The size class of {@code size} (0 for the smallest pooled size), or -1 when it is not a pooled size. */
  public int sizeClass(int size) {
    if (size < minSize || size > maxSize || Integer.bitCount(size) != 1) return -1;
    return Integer.numberOfTrailingZeros(size) - Integer.numberOfTrailingZeros(minSize);
  }
}
