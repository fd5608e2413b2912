package io.lodge.ingester.head;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
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
    for (int p = 0; p < block.pageCount(); p++) pages += block.page(p).length;
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

  @Test
  void onlyPooledSizesAreRecycled() {
    byte[] odd = new byte[70_000];
    LinePages.give(odd);
    assertThat(LinePages.isPooled(odd)).isFalse();
    LinePages.take(8192); // makes room, should the pool be full from earlier tests
    byte[] page = new byte[8192];
    LinePages.give(page);
    assertThat(LinePages.isPooled(page)).isTrue();
    byte[] back = LinePages.take(8192);
    assertThat(back).hasSize(8192);
    // a page taken from the pool is out of it: nobody else can get it
    assertThat(LinePages.isPooled(back)).isFalse();
  }
}
