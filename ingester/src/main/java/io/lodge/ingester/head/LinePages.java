package io.lodge.ingester.head;

import io.lodge.ingester.pool.ByteArrayPool;

/**
 * The byte pages open blocks keep their lines in, recycled through small bounded pools. A block's pages
 * grow in size (4, 8, 16, 32 KiB, then 64 KiB each), so a block never copies its lines to grow (the
 * old single buffer doubled, copying everything each time and leaving the old array as garbage), a small
 * block stays small (10,000 idle streams pin a 4 KiB page each, not a block-sized buffer), and a big
 * block wastes at most the tail of its last page. A line longer than 64 KiB gets a page of its own
 * length, which is never pooled.
 *
 * <p>Who may hold a page: the one {@link OpenBlock} that took it, until that block is sealed and no
 * reader or encoder still uses it ({@link HeadBlock} counts them); only then does {@link #give} put it
 * back. A page in the pool is referenced by nobody else, so a recycled page never aliases a block that
 * can still be read. Pages are not cleared: a block reads only the bytes it wrote. What the pools hold
 * is not counted by the head bound; it is capped per size class, at 14 MiB in all.
 */
final class LinePages {
  /** Size of a block's first page. */
  static final int MIN_PAGE = 1 << 12;
  /** Size of every page from the fifth on, and the largest pooled page. */
  static final int MAX_PAGE = 1 << 16;
  private static final int CLASSES = Integer.numberOfTrailingZeros(MAX_PAGE) - Integer.numberOfTrailingZeros(MIN_PAGE) + 1;
  /** Bytes each size class may pool: more for the 64 KiB pages that make up most of a big block. */
  private static final ByteArrayPool POOL =
      new ByteArrayPool(MIN_PAGE, MAX_PAGE, new int[] {1 << 20, 1 << 20, 2 << 20, 2 << 20, 8 << 20});

  private LinePages() {}

  /**
   * The size of a block's page number {@code pageIndex} (0-based) that must hold a line of {@code lineLen}
   * bytes, when the block wants about {@code wanted} more bytes before it is full: the growth sequence,
   * but no bigger than the power of two covering what the block still needs (so a 256 KiB block ends
   * with a small page, not a 64 KiB one mostly empty), and never smaller than the line.
   */
  static int pageSize(int pageIndex, int lineLen, long wanted) {
    int size = MIN_PAGE << Math.min(pageIndex, CLASSES - 1);
    if (wanted < size) size = (int) Math.max(MIN_PAGE, Long.highestOneBit(Math.max(1, wanted - 1)) << 1);
    if (lineLen > size) size = lineLen > MAX_PAGE ? lineLen : Integer.highestOneBit(lineLen - 1) << 1;
    return size;
  }

  /** A page of exactly {@code size} bytes (a size from {@link #pageSize}): a pooled one when there is one. */
  static byte[] take(int size) {
    return POOL.take(size);
  }

  /** Returns a page nobody references any more; dropped when its pool is full or it has no size class. */
  static void give(byte[] page) {
    POOL.give(page);
  }

  /** True when this very array is in a pool now (for tests). */
  static boolean isPooled(byte[] page) {
    return POOL.isPooled(page);
  }

  /** Empties the pools (for tests that check what comes back). */
  static void clear() {
    POOL.clear();
  }

  /** Pages pooled now (for tests). */
  static int pooled() {
    return POOL.pooled();
  }
}
