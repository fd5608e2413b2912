package io.lodge.ingester.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.model.LabelSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Sealer}'s batches: queued blocks are sealed grouped by the codec's affinity, a stream's blocks in
 * the order they were submitted; a lone block is sealed after the linger without more arriving; closing
 * seals everything queued; past {@code maxPending} the caller seals inline.
 */
class SealerBatchTest {
  private static HeadBlock block(String app, String pod, int seq) {
    OpenBlock o = new OpenBlock();
    for (int i = 0; i < 20; i++) {
      byte[] line = (app + " " + pod + " block " + seq + " line " + i).getBytes(StandardCharsets.UTF_8);
      o.append(seq * 100L + i, line, List.of(), line.length, 1 << 20);
    }
    return new HeadBlock(o, "t", LabelSet.of("app", app, "pod", pod));
  }

  private static void awaitSealed(List<HeadBlock> blocks) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && blocks.stream().anyMatch(b -> b.sealedOrNull() == null)) Thread.sleep(5);
    assertThat(blocks).allSatisfy(b -> assertThat(b.sealedOrNull()).isNotNull());
  }

  /** A block reads as sealed a moment before the sealer stops counting it (pages recycled first). */
  private static void assertNothingPending(Sealer sealer) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && sealer.pending() != 0) Thread.sleep(5);
    assertThat(sealer.pending()).isZero();
  }

  @Test
  void queuedBlocksAreSealedGroupedByAffinityInSubmitOrderWithinAStream() throws Exception {
    RecordingCodec codec = new RecordingCodec();
    // a batch of exactly the 13 blocks below and a linger far longer than submitting them takes
    try (Sealer sealer = new Sealer(codec, 1, 1000, 13, 30_000)) {
      HeadBlock opener = block("zz", "p0", 0);
      sealer.submit(opener); // the thread takes it, then waits for 12 more
      List<HeadBlock> blocks = new ArrayList<>();
      String[] apps = {"nginx", "sshd", "kafka"};
      for (int seq = 1; seq <= 12; seq++) { // interleaved: nginx, sshd, kafka, nginx, ...
        HeadBlock b = block(apps[seq % 3], "p" + (seq % 2), seq);
        blocks.add(b);
        sealer.submit(b);
      }
      blocks.add(opener);
      awaitSealed(blocks);
      List<String> order = codec.sealed;
      assertThat(order).hasSize(13);
      // each app's blocks form one run (one batch held all 13), and within a stream submit order is kept
      List<String> runs = new ArrayList<>();
      for (String s : order) {
        String app = s.substring(0, s.indexOf('/'));
        if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(app)) runs.add(app);
      }
      assertThat(runs).containsExactlyInAnyOrder("zz", "nginx", "sshd", "kafka");
      java.util.Map<String, List<Integer>> seqByStream = new java.util.HashMap<>();
      for (String s : order) {
        int cut = s.lastIndexOf('/');
        seqByStream.computeIfAbsent(s.substring(0, cut), k -> new ArrayList<>()).add(Integer.parseInt(s.substring(cut + 1)));
      }
      assertThat(seqByStream.get("nginx/p1")).hasSizeGreaterThan(1);
      seqByStream.forEach((stream, seqs) -> assertThat(seqs).as(stream).isSorted());
    }
  }

  @Test
  void aLoneBlockWaitsOutTheLingerAndCloseSealsWhatIsQueued() throws Exception {
    RecordingCodec codec = new RecordingCodec();
    // a linger far longer than the sleep below, however slowly the machine runs this test
    Sealer sealer = new Sealer(codec, 1, 1000, 64, 5_000);
    HeadBlock lone = block("a", "p", 1);
    sealer.submit(lone);
    Thread.sleep(300);
    assertThat(lone.sealedOrNull()).as("still waiting for a batch to fill").isNull();
    assertThat(lone.rawSnapshot().size()).as("and readable meanwhile").isEqualTo(20);
    awaitSealed(List.of(lone)); // sealed once the linger is over, without more blocks arriving
    assertNothingPending(sealer);

    List<HeadBlock> queued = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      HeadBlock b = block("b", "p", 10 + i);
      queued.add(b);
      sealer.submit(b);
    }
    sealer.close();
    assertThat(queued).allSatisfy(b -> assertThat(b.sealedOrNull()).as("sealed by close").isNotNull());
    assertThat(sealer.pending()).isZero();
    HeadBlock after = block("c", "p", 20);
    sealer.submit(after);
    assertThat(after.sealedOrNull()).as("after close: sealed inline").isNotNull();
  }

  @Test
  void anErrorWhileSealingNeverStrandsBlocks() throws Exception {
    RecordingCodec codec = new RecordingCodec();
    try (Sealer sealer = new Sealer(codec, 1, 1000, 1, 0)) {
      // direct memory running out (a dictionary's buffer): that block stays raw, the thread goes on
      codec.failWith = new OutOfMemoryError("Direct buffer memory");
      HeadBlock failed = block("a", "p", 1);
      sealer.submit(failed);
      HeadBlock next = block("a", "p", 2);
      sealer.submit(next);
      awaitSealed(List.of(next));
      assertThat(failed.sealedOrNull()).isNull();
      assertThat(failed.rawSnapshot().size()).isEqualTo(20);

      // any other Error ends the sealing thread: from then on callers seal inline, nothing waits for ever
      codec.failWith = new StackOverflowError();
      HeadBlock killer = block("a", "p", 3);
      sealer.submit(killer);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (codec.failWith != null && System.nanoTime() < deadline) Thread.sleep(5);
      Thread.sleep(50); // the thread's last steps after the throw
      HeadBlock after = block("a", "p", 4);
      sealer.submit(after);
      awaitSealed(List.of(after));
      long settled = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // counted off just after sealing
      while (sealer.pending() > 1 && System.nanoTime() < settled) Thread.sleep(5);
      assertThat(sealer.pending()).as("only the blocks the dead thread held are still counted").isLessThanOrEqualTo(1);
    }
  }

  @Test
  void pastMaxPendingTheCallerSealsInline() throws Exception {
    RecordingCodec codec = new RecordingCodec();
    codec.gate = new CountDownLatch(1);
    try (Sealer sealer = new Sealer(codec, 1, 2)) {
      HeadBlock first = block("a", "p", 1);
      sealer.submit(first);
      assertThat(codec.firstSealStarted.await(10, TimeUnit.SECONDS)).isTrue(); // the thread is busy in the gate
      HeadBlock second = block("b", "p", 2); // another affinity: the caller below leaves it to the thread
      sealer.submit(second); // pending: first (sealing) and second (queued)
      assertThat(sealer.pending()).isEqualTo(2);
      HeadBlock third = block("a", "p", 3);
      sealer.submit(third);
      assertThat(third.sealedOrNull()).as("sealed by the caller").isNotNull();
      SealCounts counts = sealer.counts();
      assertThat(counts.blocks(SealCounts.Where.PUSH)).isEqualTo(1);
      assertThat(counts.rawBytes(SealCounts.Where.PUSH)).isEqualTo(third.rawBytes());
      assertThat(counts.storedBytes(SealCounts.Where.PUSH)).isEqualTo(third.sealedOrNull().compressedBytes());
      codec.gate.countDown();
      awaitSealed(List.of(first, second, third));
      assertNothingPending(sealer); // counted just before the pending count drops
      assertThat(counts.blocks(SealCounts.Where.SEALER)).isEqualTo(2);
      assertThat(counts.rawBytes(SealCounts.Where.SEALER)).isEqualTo(first.rawBytes() + second.rawBytes());
      assertThat(counts.blocks(SealCounts.Where.FLUSH)).isZero();
    }
  }

  @Test
  void theCallerPastMaxPendingAlsoSealsTheQueuedBlocksOfItsAffinity() throws Exception {
    RecordingCodec codec = new RecordingCodec();
    codec.gate = new CountDownLatch(1);
    try (Sealer sealer = new Sealer(codec, 1, 4)) {
      HeadBlock first = block("a", "p", 1);
      sealer.submit(first);
      assertThat(codec.firstSealStarted.await(10, TimeUnit.SECONDS)).isTrue(); // the thread is busy in the gate
      HeadBlock sameA = block("a", "p", 2);
      HeadBlock otherB = block("b", "p", 3);
      HeadBlock alsoA = block("a", "q", 4);
      for (HeadBlock b : List.of(sameA, otherB, alsoA)) sealer.submit(b);
      assertThat(sealer.pending()).isEqualTo(4);
      HeadBlock inline = block("a", "p", 5);
      sealer.submit(inline); // past the bound: sealed here, with the queued blocks of app a after it
      assertThat(List.of(inline, sameA, alsoA)).allSatisfy(b -> assertThat(b.sealedOrNull()).isNotNull());
      assertThat(otherB.sealedOrNull()).as("another dictionary's block stays queued").isNull();
      assertThat(codec.sealed).containsExactly("a/p/5", "a/p/2", "a/q/4");
      assertThat(sealer.pending()).as("the thread's block and b's").isEqualTo(2);
      SealCounts counts = sealer.counts();
      assertThat(counts.blocks(SealCounts.Where.PUSH)).isEqualTo(3);
      assertThat(counts.rawBytes(SealCounts.Where.PUSH)).isEqualTo(inline.rawBytes() + sameA.rawBytes() + alsoA.rawBytes());
      codec.gate.countDown();
      awaitSealed(List.of(first, otherB));
      assertNothingPending(sealer);
      assertThat(counts.blocks(SealCounts.Where.SEALER)).isEqualTo(2);
    }
  }

  @Test
  void pastMaxPendingSmallBlocksQueueUntilTheirRawBytesReachTheBound() throws Exception {
    RecordingCodec codec = new RecordingCodec();
    codec.gate = new CountDownLatch(1);
    List<HeadBlock> blocks = new ArrayList<>();
    for (int seq = 1; seq <= 5; seq++) blocks.add(block("a", "p", seq));
    long raw = blocks.get(0).rawBytes();
    assertThat(blocks).allSatisfy(b -> assertThat(b.rawBytes()).isEqualTo(raw));
    // two blocks, but four blocks' worth of raw bytes: early-sealed small blocks must not seal inline at two
    try (Sealer sealer = new Sealer(codec, 1, 2, 4 * raw)) {
      sealer.submit(blocks.get(0));
      assertThat(codec.firstSealStarted.await(10, TimeUnit.SECONDS)).isTrue(); // the thread is busy in the gate
      for (int i = 1; i < 4; i++) sealer.submit(blocks.get(i));
      assertThat(sealer.pending()).as("queued past two blocks: their bytes are under the bound").isEqualTo(4);
      for (int i = 1; i < 4; i++) assertThat(blocks.get(i).sealedOrNull()).isNull();
      sealer.submit(blocks.get(4)); // four blocks and four blocks' bytes wait: inline
      assertThat(blocks.get(4).sealedOrNull()).as("sealed by the caller").isNotNull();
      codec.gate.countDown();
      awaitSealed(blocks);
      assertNothingPending(sealer);
    }
  }
}
