package io.lodge.ingester.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Page sizing and the memory an open block pins: small blocks stay small, big ones end near the target. */
class LinePagesTest {
  private static final byte[] LINE = new byte[150];

  @Test
  void pagesGrowFromFourToSixtyFourKibAndFitTheLine() {
    long far = Long.MAX_VALUE;
    assertThat(LinePages.pageSize(0, 150, far)).isEqualTo(4096);
    assertThat(LinePages.pageSize(1, 150, far)).isEqualTo(8192);
    assertThat(LinePages.pageSize(3, 150, far)).isEqualTo(32768);
    assertThat(LinePages.pageSize(4, 150, far)).isEqualTo(65536);
    assertThat(LinePages.pageSize(40, 150, far)).isEqualTo(65536);
    assertThat(LinePages.pageSize(0, 5000, far)).as("a line bigger than the step's page").isEqualTo(8192);
    assertThat(LinePages.pageSize(0, 70_000, far)).as("longer than any pooled page: exact").isEqualTo(70_000);
    assertThat(LinePages.pageSize(6, 150, 5000)).as("the block needs little more").isEqualTo(8192);
    assertThat(LinePages.pageSize(6, 150, -10)).isEqualTo(4096);
  }

  @Test
  void aFullBlockPinsLittleMoreThanItsTarget() {
    OpenBlock block = new OpenBlock();
    long target = 256 << 10;
    while (block.rawBytes() < target) block.append(block.count(), LINE, List.of(), LINE.length, target);
    long pages = 0;
    for (int p = 0; p < block.pageCount(); p++) pages += block.page(p).capacity();
    assertThat(pages).as("page capacity of a full 256 KiB block").isBetween(target, target + (16 << 10));
    assertThat(block.retainedBytes()).isGreaterThanOrEqualTo(pages + 12L * block.count());
  }

  @Test
  void tenThousandSmallBlocksStaySmall() {
    List<OpenBlock> blocks = new ArrayList<>();
    long retained = 0;
    for (int i = 0; i < 10_000; i++) {
      OpenBlock b = new OpenBlock();
      for (int k = 0; k < 3; k++) b.append(k, LINE, List.of(), LINE.length, 1 << 18);
      blocks.add(b);
      retained += b.retainedBytes();
    }
    // one 4 KiB page and 32 column slots each: ~4.5 KiB, not a block-sized buffer
    assertThat(retained).isLessThan(10_000L * 5 * 1024);
    OpenBlock empty = new OpenBlock();
    assertThat(empty.retainedBytes()).as("an idle stream's empty block pins nothing").isZero();
    assertThat(blocks).hasSize(10_000);
  }

  /** Room for {@code slabs} more slabs whatever earlier tests in this JVM made or set (the limit is process-wide). */
  static void allowMoreSlabs(int slabs) {
    LinePages.offHeapLimit(LinePages.offHeapBytes() + (long) slabs * LinePages.SLAB);
  }

  @AfterEach
  void restoreLimit() {
    LinePages.offHeapLimit(LinePages.DEFAULT_OFF_HEAP_LIMIT);
  }

  @Test
  void pagesComeFromDirectSlabsAndGoBackToTheirFreeList() {
    allowMoreSlabs(1);
    ByteBuffer page = LinePages.take(8192);
    assertThat(page.isDirect()).as("within the off-heap limit").isTrue();
    assertThat(page.capacity()).isEqualTo(8192);
    assertThat(LinePages.isPooled(page)).as("a page taken is out of the free list: nobody else can get it").isFalse();
    page.put(0, "hello".getBytes(StandardCharsets.UTF_8), 0, 5);
    LinePages.give(page);
    assertThat(LinePages.isPooled(page)).isTrue();
    ByteBuffer back = LinePages.take(8192);
    assertThat(back).as("the most recently freed page is reused first").isSameAs(page);
    assertThat(LinePages.isPooled(back)).isFalse();
    LinePages.give(back);
  }

  @Test
  void pagesOfOneSlabDoNotOverlap() {
    allowMoreSlabs(3);
    List<ByteBuffer> taken = new ArrayList<>();
    for (int i = 0; i < 3 * LinePages.SLAB / 4096; i++) taken.add(LinePages.take(4096));
    assertThat(taken).as("all carved from slabs").allMatch(ByteBuffer::isDirect);
    for (int i = 0; i < taken.size(); i++) {
      taken.get(i).putInt(0, i);
      taken.get(i).putInt(4092, i);
    }
    for (int i = 0; i < taken.size(); i++) {
      assertThat(taken.get(i).getInt(0)).as("page %d, first bytes", i).isEqualTo(i);
      assertThat(taken.get(i).getInt(4092)).as("page %d, last bytes", i).isEqualTo(i);
    }
    taken.forEach(LinePages::give);
  }

  @Test
  void pastTheOffHeapLimitPagesAreHeapArraysAndLinesSurviveIt() {
    List<ByteBuffer> drained = new ArrayList<>();
    List<OpenBlock> blocks = new ArrayList<>();
    try {
      LinePages.offHeapLimit(LinePages.offHeapBytes()); // no new slab from here on
      long fallbacks = LinePages.heapFallbacks();
      ByteBuffer p;
      while ((p = LinePages.take(LinePages.MAX_PAGE)).isDirect()) drained.add(p); // ends: slabs are bounded
      assertThat(LinePages.heapFallbacks()).as("the heap page is counted").isEqualTo(fallbacks + 1);
      for (int b = 0; b < 3; b++) {
        OpenBlock block = new OpenBlock();
        for (int i = 0; i < 2_000; i++) block.append(i, line(b, i), List.of(), 150, 1 << 18);
        blocks.add(block);
        boolean onHeap = false;
        for (int k = 0; k < block.pageCount(); k++) onHeap |= !block.page(k).isDirect();
        assertThat(onHeap).as("its 64 KiB pages, past the limit, are on the heap").isTrue();
      }
      for (int b = 0; b < 3; b++) {
        EntrySnapshot s = blocks.get(b).sortedSnapshot(); // small pages may be direct, big ones are not
        for (int i = 0; i < 2_000; i++) assertThat(s.lines()[i]).isEqualTo(line(b, i));
      }
    } finally {
      blocks.forEach(OpenBlock::recycle);
      drained.forEach(LinePages::give);
      LinePages.offHeapLimit(LinePages.DEFAULT_OFF_HEAP_LIMIT);
    }
  }

  /**
   * Past the limit, a slab whose pages are all free serves another page size: blocks that grew 64 KiB
   * pages (a warmup) and then ask for 4 KiB ones (small blocks) get them off the heap. Process-wide
   * state: the test counts only what it takes beyond the free pages and the slab being carved.
   */
  @Test
  void pastTheLimitAFreeSlabIsCarvedForAnotherPageSize() {
    List<ByteBuffer> big = new ArrayList<>();
    allowMoreSlabs(1);
    long slabBytes = LinePages.offHeapBytes();
    while (LinePages.offHeapBytes() == slabBytes) big.add(LinePages.take(LinePages.MAX_PAGE)); // a new 64 KiB slab
    for (int i = 1; i < LinePages.SLAB / LinePages.MAX_PAGE; i++) big.add(LinePages.take(LinePages.MAX_PAGE));
    long slabsMade = LinePages.offHeapBytes();
    LinePages.offHeapLimit(slabsMade); // no more slabs from here on
    for (ByteBuffer p : big) LinePages.give(p); // that slab is all free again

    List<ByteBuffer> small = new ArrayList<>();
    int free = LinePages.freePages(LinePages.MIN_PAGE);
    long reclaimed = LinePages.reclaimedSlabs();
    int direct = 0;
    for (int i = 0; i < free + 2 * (LinePages.SLAB / LinePages.MIN_PAGE); i++) {
      ByteBuffer p = LinePages.take(LinePages.MIN_PAGE);
      small.add(p);
      if (i >= free && p.isDirect()) direct++;
    }
    // the 4 KiB slab being carved has fewer than 256 pages left; a reclaimed slab gives 256 more
    assertThat(direct).isGreaterThanOrEqualTo(LinePages.SLAB / LinePages.MIN_PAGE);
    assertThat(LinePages.reclaimedSlabs()).isGreaterThan(reclaimed);
    assertThat(LinePages.offHeapBytes()).as("no slab made past the limit").isEqualTo(slabsMade);
    for (int i = 0; i < small.size(); i++) { // no two pages held at once share memory
      small.get(i).putInt(0, i);
      small.get(i).putInt(LinePages.MIN_PAGE - 4, i);
    }
    for (int i = 0; i < small.size(); i++) {
      assertThat(small.get(i).getInt(0)).isEqualTo(i);
      assertThat(small.get(i).getInt(LinePages.MIN_PAGE - 4)).isEqualTo(i);
    }
    for (ByteBuffer p : small) LinePages.give(p);
  }

  @Test
  void aPrefetchMakesSlabsAheadAndBlocksTakeThemInsteadOfMakingTheirOwn() throws InterruptedException {
    allowMoreSlabs(3);
    long slabBytes = LinePages.offHeapBytes();
    long prefetched = LinePages.prefetchedSlabs();
    List<ByteBuffer> taken = new ArrayList<>();
    try (LinePages.SlabPrefetch prefetch = LinePages.prefetch(2)) {
      awaitTrue(() -> LinePages.readySlabs() == 2);
      Thread.sleep(50); // room for a third slab under the limit, but not ahead: it must wait
      assertThat(prefetch.made()).as("at most two ahead").isEqualTo(2);
      assertThat(LinePages.offHeapBytes()).isEqualTo(slabBytes + 2L * LinePages.SLAB);

      for (int i = 0; i < 10_000 && LinePages.prefetchedSlabs() == prefetched; i++) {
        taken.add(LinePages.take(LinePages.MAX_PAGE)); // free pages first, then the slab being carved
      }
      assertThat(LinePages.prefetchedSlabs()).as("a new slab came from the prefetch").isEqualTo(prefetched + 1);
      awaitTrue(() -> prefetch.made() == 3); // one taken: room for one more, the last under the limit
      assertThat(LinePages.offHeapBytes()).isEqualTo(slabBytes + 3L * LinePages.SLAB);
    }
    takeReadySlabs(taken);
    assertThat(LinePages.readySlabs()).as("slabs made before close are used after it").isZero();
    assertThat(LinePages.prefetchedSlabs()).isEqualTo(prefetched + 3);
    assertThat(LinePages.offHeapBytes()).as("blocks made no slab of their own").isEqualTo(slabBytes + 3L * LinePages.SLAB);
    assertThat(taken).allMatch(ByteBuffer::isDirect);
    taken.forEach(LinePages::give);
  }

  /**
   * Pages asked for right after a prefetch started, before its first batch is made: the block waits for
   * that batch rather than making a slab of its own, so a replay takes every new slab from the prefetch.
   */
  @Test
  void aBlockWaitsForTheBatchInTheMakingInsteadOfMakingItsOwnSlab() {
    allowMoreSlabs(2);
    long slabBytes = LinePages.offHeapBytes();
    long prefetched = LinePages.prefetchedSlabs();
    List<ByteBuffer> taken = new ArrayList<>();
    try (LinePages.SlabPrefetch prefetch = LinePages.prefetch(2)) {
      for (int i = 0; i < 10_000 && LinePages.prefetchedSlabs() == prefetched; i++) {
        taken.add(LinePages.take(LinePages.MAX_PAGE)); // free pages first, then the slab being carved
      }
      assertThat(LinePages.prefetchedSlabs()).as("the new slab came from the prefetch").isEqualTo(prefetched + 1);
    } finally {
      takeReadySlabs(taken);
    }
    // the prefetch's slabs are all taken by now: any other new slab was a block's own
    assertThat(LinePages.offHeapBytes() - slabBytes).as("every new slab was the prefetch's")
        .isEqualTo((LinePages.prefetchedSlabs() - prefetched) * LinePages.SLAB)
        .isPositive();
    assertThat(taken).allMatch(ByteBuffer::isDirect);
    taken.forEach(LinePages::give);
  }

  @Test
  void aPrefetchStopsAtTheOffHeapLimit() {
    allowMoreSlabs(1);
    try (LinePages.SlabPrefetch prefetch = LinePages.prefetch(4)) {
      awaitTrue(prefetch::stopped);
      assertThat(prefetch.made()).as("one slab fits under the limit").isEqualTo(1);
    }
    List<ByteBuffer> taken = new ArrayList<>();
    takeReadySlabs(taken);
    taken.forEach(LinePages::give);
  }

  @Test
  void aPrefetchMakesWholeBatchesFromResidentMemory() {
    org.junit.jupiter.api.Assumptions.assumeTrue(ResidentMemory.available());
    allowMoreSlabs(LinePages.PREFETCH_BATCH + 3);
    long slabBytes = LinePages.offHeapBytes();
    List<ByteBuffer> taken = new ArrayList<>();
    try (LinePages.SlabPrefetch prefetch = LinePages.prefetch(2 * LinePages.PREFETCH_BATCH)) {
      // a batch, then what is left under the limit: never more than the limit, even a batch at a time
      awaitTrue(prefetch::stopped);
      assertThat(prefetch.made()).isEqualTo(LinePages.PREFETCH_BATCH + 3);
      assertThat(LinePages.offHeapBytes()).isEqualTo(slabBytes + (LinePages.PREFETCH_BATCH + 3L) * LinePages.SLAB);
    }
    takeReadySlabs(taken);
    assertThat(LinePages.readySlabs()).isZero();
    for (int i = 0; i < taken.size(); i++) taken.get(i).putInt(LinePages.MAX_PAGE - 4, i); // no two pages share memory
    for (int i = 0; i < taken.size(); i++) assertThat(taken.get(i).getInt(LinePages.MAX_PAGE - 4)).isEqualTo(i);
    assertThat(taken).allMatch(ByteBuffer::isDirect);
    taken.forEach(LinePages::give);
  }

  @Test
  void aPrefetchAsksForAtLeastOneSlabAhead() {
    assertThatThrownBy(() -> LinePages.prefetch(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }

  /** Takes 64 KiB pages until no prefetched slab is left waiting (free pages and carved slabs go first). */
  private static void takeReadySlabs(List<ByteBuffer> taken) {
    for (int i = 0; i < 10_000 && LinePages.readySlabs() > 0; i++) taken.add(LinePages.take(LinePages.MAX_PAGE));
  }

  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  @Test
  void aForeignDirectBufferIsRefusedWithoutTouchingTheCounts() {
    long inUse = LinePages.offHeapInUse();
    assertThatThrownBy(() -> LinePages.give(ByteBuffer.allocateDirect(5000)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5000 bytes");
    assertThat(LinePages.offHeapInUse()).isEqualTo(inUse);
  }

  @Test
  void aHeapPageOfAPooledSizeGoesBackToTheHeapPool() {
    ByteBuffer heap = ByteBuffer.wrap(new byte[16384]);
    LinePages.clear();
    LinePages.give(heap);
    assertThat(LinePages.isPooled(heap)).isTrue();
    ByteBuffer odd = ByteBuffer.wrap(new byte[70_000]);
    LinePages.give(odd);
    assertThat(LinePages.isPooled(odd)).as("a line's own page is left to the GC").isFalse();
  }

  private static byte[] line(int block, int i) {
    return String.format("%-150s", "block " + block + " line " + i).getBytes(StandardCharsets.UTF_8);
  }
}
