package io.lodge.ingester.head;

import io.lodge.ingester.pool.ByteArrayPool;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
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
 * length, never pooled. A slab is carved for one page size at a time; once the limit is reached and a
 * size has no free page, a slab whose pages are all free is taken back from its size (its pages leave
 * that free list) and carved anew, so the slabs follow the mix of page sizes blocks ask for.
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

  /** Guards the slabs, the free lists and the page owners: a page is taken or given a few thousand times a second. */
  private static final Object LOCK = new Object();
  /** Per size class: direct pages free for reuse, and the slab being carved. */
  @SuppressWarnings("unchecked")
  private static final ArrayDeque<ByteBuffer>[] FREE = new ArrayDeque[CLASSES];
  private static final Slab[] CARVING = new Slab[CLASSES];
  private static final List<Slab> SLABS = new ArrayList<>();
  /** The slab of every direct page carved and not reclaimed (pages compare by identity). */
  private static final IdentityHashMap<ByteBuffer, Slab> OWNER = new IdentityHashMap<>();
  private static final AtomicLong SLAB_BYTES = new AtomicLong();
  private static final AtomicLong DIRECT_IN_USE = new AtomicLong();
  /** Pages of a pooled size that had to be heap arrays: no free direct page and no room for a slab. */
  private static final AtomicLong HEAP_FALLBACKS = new AtomicLong();
  /** Slabs taken back from one page size for another ({@link #reclaim}). */
  private static final AtomicLong RECLAIMED_SLABS = new AtomicLong();
  /** How long pages stay on the heap after the JVM refused a slab before one is asked for again. */
  private static final long REFUSAL_BACKOFF_NANOS = 30_000_000_000L;
  private static volatile long limit = DEFAULT_OFF_HEAP_LIMIT;
  /** When the JVM last refused direct memory for a slab (0: never). */
  private static volatile long refusedAtNanos;
  /** Slabs a {@link SlabPrefetch} made before any block asked for them (counted in SLAB_BYTES); guarded by LOCK. */
  private static final ArrayDeque<ByteBuffer> READY = new ArrayDeque<>();
  /** Whether a prefetch is making a batch of slabs now; guarded by {@link #LOCK}. */
  private static boolean inTheMaking;
  /** Most slabs a prefetch makes at once from one region of {@link ResidentMemory}: 8 huge pages. */
  static final int PREFETCH_BATCH = 16;
  /** Slabs blocks took from {@link #READY} instead of making them on their own thread. */
  private static final AtomicLong PREFETCHED_SLABS = new AtomicLong();

  static {
    for (int c = 0; c < CLASSES; c++) FREE[c] = new ArrayDeque<>();
  }

  private LinePages() {}

  /** A direct slab: the size class it is carved for now, how far, and how many of its pages blocks hold. */
  private static final class Slab {
    final ByteBuffer memory;
    int sizeClass;
    int carved;
    int inUse;

    Slab(ByteBuffer memory) {
      this.memory = memory;
    }
  }

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
    synchronized (LOCK) {
      ByteBuffer page = FREE[c].pollLast(); // the most recently used page is the likeliest in cache
      if (page == null) page = carve(c, size);
      if (page != null) OWNER.get(page).inUse++;
      return page;
    }
  }

  /** A new page of class {@code c} from the slab being carved for it, a new slab, or a reclaimed one. */
  private static ByteBuffer carve(int c, int size) {
    Slab slab = CARVING[c];
    if (slab == null || slab.carved + size > SLAB) {
      ByteBuffer memory = READY.pollFirst();
      if (memory == null && inTheMaking) memory = awaitPrefetched();
      if (memory != null) {
        PREFETCHED_SLABS.incrementAndGet();
        LOCK.notifyAll(); // a prefetch waiting for room makes the next one
      } else {
        memory = newSlab();
      }
      if (memory != null) {
        slab = new Slab(memory);
        SLABS.add(slab);
      } else {
        slab = reclaim();
        if (slab == null) return null;
      }
      slab.sizeClass = c;
      slab.carved = 0;
      CARVING[c] = slab;
    }
    ByteBuffer page = slab.memory.slice(slab.carved, size);
    slab.carved += size;
    OWNER.put(page, slab);
    return page;
  }

  /**
   * Waits for the batch a prefetch is making (holding {@link #LOCK}) and takes its first slab; null when it
   * made none or the wait was interrupted. Waiting beats making a slab here: the batch is under way on the
   * other thread in huge pages, and the blocks take every slab of a replay from the prefetch, not a
   * varying share that depends on how far ahead it happened to be.
   */
  private static ByteBuffer awaitPrefetched() {
    try {
      while (READY.isEmpty() && inTheMaking) LOCK.wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return READY.pollFirst();
  }

  /**
   * A slab none of whose pages a block holds, taken back from its size class (its pages leave the free
   * list and are forgotten: nobody else references a free page), or null when every slab is in use.
   */
  private static Slab reclaim() {
    for (Slab slab : SLABS) {
      if (slab.inUse != 0) continue;
      int c = slab.sizeClass;
      for (Iterator<ByteBuffer> it = FREE[c].iterator(); it.hasNext(); ) {
        ByteBuffer page = it.next();
        if (OWNER.get(page) == slab) {
          it.remove();
          OWNER.remove(page);
        }
      }
      if (CARVING[c] == slab) CARVING[c] = null;
      RECLAIMED_SLABS.incrementAndGet();
      return slab;
    }
    return null;
  }

  /** A new direct slab, or null past the limit or when the JVM has no direct memory left for it. */
  private static ByteBuffer newSlab() {
    if (reserveSlabs(1) == 0) return null;
    return allocateSlab();
  }

  /** Reserves up to {@code wanted} slabs under the limit (none while the JVM's refusal backs off); returns how many. */
  private static int reserveSlabs(int wanted) {
    long refused = refusedAtNanos;
    if (refused != 0 && System.nanoTime() - refused < REFUSAL_BACKOFF_NANOS) return 0;
    long reserved;
    int slabs;
    do {
      reserved = SLAB_BYTES.get();
      slabs = (int) Math.min(wanted, slabsUnderLimit(reserved));
      if (slabs == 0) return 0;
    } while (!SLAB_BYTES.compareAndSet(reserved, reserved + (long) slabs * SLAB));
    return slabs;
  }

  /** How many more slabs fit under the limit with {@code reserved} bytes of slabs made or reserved. */
  private static long slabsUnderLimit(long reserved) {
    return Math.max(0, (limit - reserved) / SLAB);
  }

  /** A direct slab for one reserved by {@link #reserveSlabs}; null (and the reservation returned) when the JVM refuses. */
  private static ByteBuffer allocateSlab() {
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

  /**
   * Up to {@code wanted} new slabs, fewer at the limit: cut from one region of {@link ResidentMemory} (huge
   * pages, resident before any block writes to them) where it can be mapped, else made one by one.
   */
  private static List<ByteBuffer> newSlabs(int wanted) {
    int slabs = reserveSlabs(wanted);
    List<ByteBuffer> made = new ArrayList<>(slabs);
    if (slabs == 0) return made;
    ByteBuffer region = ResidentMemory.map((long) slabs * SLAB);
    if (region != null) {
      for (int i = 0; i < slabs; i++) made.add(region.slice(i * SLAB, SLAB));
      return made;
    }
    for (int i = 0; i < slabs; i++) {
      ByteBuffer slab = allocateSlab();
      if (slab == null) {
        SLAB_BYTES.addAndGet(-(long) (slabs - i - 1) * SLAB); // the ones not tried
        break;
      }
      made.add(slab);
    }
    return made;
  }

  /**
   * Starts making slabs ahead of need on a thread of its own, at most {@code ahead} of them waiting at a
   * time, until {@link SlabPrefetch#close} or the off-heap limit. Each slab's memory is new to the process:
   * made by {@code allocateDirect}, which zeroes it, it page-faults on its 256 pages, 2-4 ms a slab on a VM
   * whose faults trap to the hypervisor, half of a replay's time when the appending thread paid it
   * (BENCHMARKS.md). Where {@link ResidentMemory} can map memory, slabs are made {@value #PREFETCH_BATCH}
   * at a time (fewer when {@code ahead} or the limit allows fewer) from one region of huge pages.
   */
  static SlabPrefetch prefetch(int ahead) {
    return new SlabPrefetch(ahead);
  }

  /** The thread {@link #prefetch} started; closing it stops it, and the slabs it made stay for blocks to use. */
  static final class SlabPrefetch implements AutoCloseable {
    private final int ahead;
    private final Thread thread;
    private boolean closed; // guarded by LOCK
    private int made;

    private SlabPrefetch(int ahead) {
      if (ahead < 1) throw new IllegalArgumentException("slabs ahead must be at least 1: " + ahead);
      this.ahead = ahead;
      synchronized (LOCK) {
        inTheMaking = true; // from now: a block that finds no slab ready waits for the first batch
      }
      Thread started = null;
      try {
        started = Thread.ofPlatform().name("lodge-page-prefetch").daemon().start(this::run);
      } finally {
        if (started == null) {
          synchronized (LOCK) {
            inTheMaking = false;
            LOCK.notifyAll();
          }
        }
      }
      this.thread = started;
    }

    private void run() {
      int batch = ResidentMemory.available() ? Math.min(ahead, PREFETCH_BATCH) : 1;
      int wanted;
      while ((wanted = awaitRoom(batch)) > 0) {
        List<ByteBuffer> slabs = List.of();
        try {
          slabs = newSlabs(wanted); // outside the lock: the page faults are the slow part
        } finally {
          synchronized (LOCK) {
            READY.addAll(slabs);
            made += slabs.size();
            inTheMaking = false;
            LOCK.notifyAll(); // a block waiting for these
          }
        }
        if (slabs.isEmpty()) return; // the limit, or no direct memory left
      }
    }

    /**
     * Waits until there is room for a batch of slabs (or for as many as the limit still allows, when
     * fewer); returns how many to make (at most a batch), 0 once closed.
     */
    private int awaitRoom(int batch) {
      synchronized (LOCK) {
        try {
          while (!closed) {
            int room = ahead - READY.size();
            long underLimit = Math.max(1, slabsUnderLimit(SLAB_BYTES.get()));
            if (room >= Math.min(batch, underLimit)) {
              inTheMaking = true;
              return Math.min(room, batch);
            }
            inTheMaking = false; // no block waits now: with no room, slabs are waiting
            LOCK.wait();
          }
        } catch (InterruptedException e) {
          // an interrupt ends it, as close does
        }
        inTheMaking = false;
        LOCK.notifyAll();
        return 0;
      }
    }

    /** Slabs this prefetch made so far. */
    int made() {
      synchronized (LOCK) {
        return made;
      }
    }

    /** True once the thread ended: closed, at the limit, or out of direct memory. */
    boolean stopped() {
      return !thread.isAlive();
    }

    /** Stops making slabs and waits for the thread (at most the one slab it is making). */
    @Override
    public void close() {
      synchronized (LOCK) {
        closed = true;
        LOCK.notifyAll();
      }
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Slabs blocks took ready-made from a prefetch, since start. */
  static long prefetchedSlabs() {
    return PREFETCHED_SLABS.get();
  }

  /** Slabs made ahead and not taken by a block yet. */
  static int readySlabs() {
    synchronized (LOCK) {
      return READY.size();
    }
  }

  /** Returns a page nobody references any more: a direct one to its free list, a heap one to its pool. */
  static void give(ByteBuffer page) {
    if (page.isDirect()) {
      synchronized (LOCK) {
        Slab slab = OWNER.get(page);
        if (slab == null) throw new IllegalArgumentException("not a line page: a direct buffer of " + page.capacity() + " bytes");
        assert !isPooled(page) : "a line page given back twice"; // by identity: buffers equal by content
        slab.inUse--;
        FREE[slab.sizeClass].addLast(page);
      }
      DIRECT_IN_USE.addAndGet(-page.capacity());
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
    synchronized (LOCK) {
      for (ByteBuffer free : FREE[c]) if (free == page) return true;
    }
    return false;
  }

  /** Direct pages of {@code size} bytes free for reuse now (for tests). */
  static int freePages(int size) {
    synchronized (LOCK) {
      return FREE[sizeClass(size)].size();
    }
  }

  /** Slabs taken back from one page size for another, since start. */
  static long reclaimedSlabs() {
    return RECLAIMED_SLABS.get();
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
