package io.lodge.ingester.head;

import io.lodge.ingester.pool.ByteArrayPool;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The byte pages open blocks keep their lines in, off the Java heap and recycled. A block's pages grow in
 * size (4, 8, 16, 32 KiB, then 64 KiB each), so a block never copies its lines to grow, a small block
 * stays small (10,000 idle streams pin a 4 KiB page each, not a block-sized buffer), and a big block
 * wastes at most the tail of its last page.
 *
 * <p>Why off the heap: lines wait in pages for a second or more, long enough for G1 to promote them, so
 * on-heap pages that outgrew a small pool died in the old generation and, at a million lines a second in
 * a small heap, drove back-to-back concurrent cycles and full collections. Pages are carved from 1 MiB
 * direct slabs, one size class per slab, and come back to their class's free list; slabs are never
 * freed, so their memory is reused for the life of the process and a page can never point at freed
 * memory. The slabs together stay within {@link #offHeapLimit} (set from {@code ingester.max_head_bytes}
 * and the JVM's direct-memory cap); past it pages are heap arrays, recycled through small bounded pools
 * as before, and counted ({@link #heapFallbacks}). A line longer than 64 KiB gets a heap page of its own
 * length, never pooled. A slab serves one page size for good: a long phase of small blocks can leave the
 * limit in small pages while big ones go to the heap (the fallback count shows it).
 *
 * <p>Who may hold a page: the one {@link OpenBlock} that took it, until that block is sealed and no
 * reader or encoder still uses it ({@link HeadBlock} counts them); only then does {@link #give} put it
 * back. A page on a free list is referenced by nobody else, so a recycled page never aliases a block
 * that can still be read. Pages are not cleared: a block reads only the bytes it wrote. Pages are read
 * and written with absolute get and put only, which keep no state in the buffer: readers and encoders of
 * a frozen block may share its pages.
 */
final class LinePages {
  /** Size of a block's first page. */
  static final int MIN_PAGE = 1 << 12;
  /** Size of every page from the fifth on, and the largest pooled page. */
  static final int MAX_PAGE = 1 << 16;
  /** Bytes of one direct slab: sixteen 64 KiB pages, or 256 of 4 KiB. */
  static final int SLAB = 1 << 20;
  /** Off-heap limit before {@link #offHeapLimit} is set (tests, benchmarks). */
  static final long DEFAULT_OFF_HEAP_LIMIT = 64L << 20;
  private static final int CLASSES = Integer.numberOfTrailingZeros(MAX_PAGE) - Integer.numberOfTrailingZeros(MIN_PAGE) + 1;
  /** Heap pages, past the off-heap limit: more for the 64 KiB pages that make up most of a big block. */
  private static final ByteArrayPool HEAP_POOL =
      new ByteArrayPool(MIN_PAGE, MAX_PAGE, new int[] {1 << 20, 1 << 20, 2 << 20, 2 << 20, 8 << 20});

  /** Per size class: direct pages free for reuse, and the slab being carved with its next free offset. */
  @SuppressWarnings("unchecked")
  private static final ArrayDeque<ByteBuffer>[] FREE = new ArrayDeque[CLASSES];
  private static final ByteBuffer[] CARVING = new ByteBuffer[CLASSES];
  private static final int[] CARVED = new int[CLASSES];
  private static final AtomicLong SLAB_BYTES = new AtomicLong();
  private static final AtomicLong DIRECT_IN_USE = new AtomicLong();
  /** Pages of a pooled size that had to be heap arrays: no free direct page and no room for a slab. */
  private static final AtomicLong HEAP_FALLBACKS = new AtomicLong();
  /** How long pages stay on the heap after the JVM refused a slab before one is asked for again. */
  private static final long REFUSAL_BACKOFF_NANOS = 30_000_000_000L;
  private static volatile long limit = DEFAULT_OFF_HEAP_LIMIT;
  /** When the JVM last refused direct memory for a slab (0: never). */
  private static volatile long refusedAtNanos;

  static {
    for (int c = 0; c < CLASSES; c++) FREE[c] = new ArrayDeque<>();
  }

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

  /**
   * Sets how many bytes of direct slabs the pages may use in all; slabs already made stay (they are never
   * freed), so lowering it only stops new ones.
   */
  static void offHeapLimit(long bytes) {
    limit = Math.max(0, bytes);
  }

  /** A page of exactly {@code size} bytes (a size from {@link #pageSize}): a free direct one when there is one. */
  static ByteBuffer take(int size) {
    int c = sizeClass(size);
    if (c >= 0) {
      ByteBuffer page = takeDirect(c, size);
      if (page != null) {
        DIRECT_IN_USE.addAndGet(size);
        return page;
      }
      HEAP_FALLBACKS.incrementAndGet();
    }
    return ByteBuffer.wrap(HEAP_POOL.take(size));
  }

  private static ByteBuffer takeDirect(int c, int size) {
    synchronized (FREE[c]) {
      ByteBuffer free = FREE[c].pollLast(); // the most recently used page is the likeliest in cache
      if (free != null) return free;
      ByteBuffer slab = CARVING[c];
      if (slab == null || CARVED[c] + size > SLAB) {
        slab = newSlab();
        if (slab == null) return null;
        CARVING[c] = slab;
        CARVED[c] = 0;
      }
      ByteBuffer page = slab.slice(CARVED[c], size);
      CARVED[c] += size;
      return page;
    }
  }

  /** A new direct slab, or null past the limit or when the JVM has no direct memory left for it. */
  private static ByteBuffer newSlab() {
    long refused = refusedAtNanos;
    if (refused != 0 && System.nanoTime() - refused < REFUSAL_BACKOFF_NANOS) return null;
    long reserved;
    do {
      reserved = SLAB_BYTES.get();
      if (reserved + SLAB > limit) return null;
    } while (!SLAB_BYTES.compareAndSet(reserved, reserved + SLAB));
    try {
      return ByteBuffer.allocateDirect(SLAB);
    } catch (OutOfMemoryError e) {
      // the JVM's direct memory (-XX:MaxDirectMemorySize) is used up by others: heap pages for a while,
      // never a failed append, and no GC-and-retry inside allocateDirect on every page meanwhile
      SLAB_BYTES.addAndGet(-SLAB);
      refusedAtNanos = System.nanoTime() | 1;
      return null;
    }
  }

  /** Returns a page nobody references any more: a direct one to its free list, a heap one to its pool. */
  static void give(ByteBuffer page) {
    if (page.isDirect()) {
      int c = sizeClass(page.capacity());
      if (c < 0) throw new IllegalArgumentException("not a line page: a direct buffer of " + page.capacity() + " bytes");
      assert !isPooled(page) : "a line page given back twice";
      DIRECT_IN_USE.addAndGet(-page.capacity());
      synchronized (FREE[c]) {
        FREE[c].addLast(page);
      }
    } else {
      HEAP_POOL.give(page.array());
    }
  }

  /** Bytes of direct slabs made so far (they stay for the life of the process, reused page by page). */
  static long offHeapBytes() {
    return SLAB_BYTES.get();
  }

  /** Pages of a pooled size that were heap arrays because no direct page was free and no slab could be made. */
  static long heapFallbacks() {
    return HEAP_FALLBACKS.get();
  }

  /** Bytes of direct pages held by blocks now. */
  static long offHeapInUse() {
    return DIRECT_IN_USE.get();
  }

  /** True when this very page is free for reuse now (for tests: pages compare by identity). */
  static boolean isPooled(ByteBuffer page) {
    if (!page.isDirect()) return HEAP_POOL.isPooled(page.array());
    int c = sizeClass(page.capacity());
    synchronized (FREE[c]) {
      for (ByteBuffer free : FREE[c]) if (free == page) return true;
    }
    return false;
  }

  /**
   * Empties the heap pools (for tests that check what comes back). Free direct pages stay: their lists
   * are unbounded, so a page given back is always found there.
   */
  static void clear() {
    HEAP_POOL.clear();
  }

  /** The free list of a page size: the heap pool's size classes, which cover the same sizes. */
  private static int sizeClass(int size) {
    return HEAP_POOL.sizeClass(size);
  }
}
