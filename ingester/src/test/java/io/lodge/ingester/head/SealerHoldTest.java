package io.lodge.ingester.head;

import io.lodge.ingester.model.LabelSet;
import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.chunk.ChunkBlockCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Sealer#hold}: blocks stay raw within the budget, are compressed after release, beyond it at once. */
class SealerHoldTest {
  private static HeadBlock block(int entries, int firstTs) {
    OpenBlock o = new OpenBlock();
    for (int i = 0; i < entries; i++) {
      byte[] line = ("entry " + (firstTs + i) + " of a held block").getBytes(StandardCharsets.UTF_8);
      o.append(firstTs + i, line, List.of(), line.length, 1 << 20);
    }
    return new HeadBlock(o, "t", LabelSet.of("app", "a"));
  }

  private static void awaitSealed(List<HeadBlock> blocks) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline && blocks.stream().anyMatch(b -> b.sealedOrNull() == null)) Thread.sleep(10);
  }

  @Test
  void heldBlocksStayRawAndReadableUntilReleased() throws Exception {
    ChunkBlockCodec codec = new ChunkBlockCodec(3);
    try (Sealer sealer = new Sealer(codec, 1, 64)) {
      sealer.hold(Long.MAX_VALUE);
      List<HeadBlock> blocks = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        HeadBlock b = block(100, i * 100);
        blocks.add(b);
        sealer.submit(b);
      }
      Thread.sleep(100); // a sealer that ignored the hold would have compressed them by now
      for (HeadBlock b : blocks) {
        assertThat(b.sealedOrNull()).isNull();
        assertThat(b.rawSnapshot().size()).isEqualTo(100);
      }
      assertThat(sealer.release()).isEqualTo(5);
      awaitSealed(blocks);
      for (int i = 0; i < blocks.size(); i++) {
        SealedBlock s = blocks.get(i).sealedOrNull();
        assertThat(s).as("block %d sealed after release", i).isNotNull();
        EntrySnapshot back = codec.decode(s);
        assertThat(back.size()).isEqualTo(100);
        assertThat(new String(back.lines()[0], StandardCharsets.UTF_8)).isEqualTo("entry " + (i * 100) + " of a held block");
      }
      assertThat(sealer.release()).as("nothing is held any more").isZero();
    }
  }

  @Test
  void blocksBeyondTheBudgetAreCompressedAsUsual() throws Exception {
    ChunkBlockCodec codec = new ChunkBlockCodec(3);
    try (Sealer sealer = new Sealer(codec, 1, 64)) {
      HeadBlock first = block(100, 0);
      sealer.hold(first.rawBytes() + 10); // room for the first block only
      sealer.submit(first);
      HeadBlock second = block(100, 100);
      sealer.submit(second);
      awaitSealed(List.of(second));
      assertThat(second.sealedOrNull()).as("over the budget: sealed without waiting for release").isNotNull();
      assertThat(first.sealedOrNull()).as("within the budget: still held").isNull();
      sealer.release();
      awaitSealed(List.of(first));
      assertThat(first.sealedOrNull()).isNotNull();
    }
  }

  @Test
  void withoutAPoolReleaseSealsInline() {
    ChunkBlockCodec codec = new ChunkBlockCodec(3);
    Sealer sealer = Sealer.inline(codec);
    sealer.hold(Long.MAX_VALUE);
    HeadBlock b = block(10, 0);
    sealer.submit(b);
    assertThat(b.sealedOrNull()).isNull();
    sealer.release();
    assertThat(b.sealedOrNull()).isNotNull();
  }
}
