package io.lodge.ingester.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.chunk.ChunkBlockCodec;
import io.lodge.ingester.index.HeadIndex;
import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenBudgetTest {
  private static final ChunkBlockCodec CODEC = new ChunkBlockCodec(3);
  private static final int STREAMS = 50;
  private static final int LINE = 100;

  private static PushRequest push(int round) {
    List<PushStream> streams = new ArrayList<>();
    for (int s = 0; s < STREAMS; s++) {
      List<LogEntry> entries = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        long ts = round * 1_000L + i;
        String line = ("stream " + s + " round " + round + " entry " + i + " ").repeat(8).substring(0, LINE);
        entries.add(new LogEntry(ts, line.getBytes(StandardCharsets.UTF_8), List.of()));
      }
      streams.add(new PushStream(LabelSet.of("app", "s" + s), entries));
    }
    return new PushRequest(streams);
  }

  private static Head head(OpenBudget budget) {
    return head(budget, Sealer.inline(CODEC));
  }

  private static Head head(OpenBudget budget, Sealer sealer) {
    return new Head(new HeadIndex<MemStream>(), CODEC, sealer, 256 << 10, 0, System::nanoTime, budget);
  }

  @Test
  void openBlocksSealEarlyOncePastTheBudgetAndEveryEntryStaysReadable() {
    // 50 streams, 2,000 bytes each per push; blocks of 256 KiB would take 131 pushes to fill
    // blocks seal early from 1 KiB on: smaller than what one push adds to a stream
    OpenBudget budget = new OpenBudget(64 << 10, 1 << 10);
    Sealer inline = Sealer.inline(CODEC);
    Head head = head(budget, inline);
    int rounds = 60;
    for (int r = 0; r < rounds; r++) {
      head.apply("t", push(r), 0, r, ReplayMarks.none());
      // at most one push's worth past the budget: each stream seals its own block once over it
      assertThat(budget.bytes()).isLessThanOrEqualTo((64 << 10) + STREAMS * 20L * LINE);
    }
    assertThat(budget.earlySeals()).isGreaterThan(STREAMS);
    // no block filled up: every seal was an early one, on the thread applying the pushes (no sealing threads)
    assertThat(inline.counts().blocks(SealCounts.Where.PUSH)).isEqualTo(budget.earlySeals());
    assertThat(inline.counts().blocks(SealCounts.Where.SEALER)).isZero();
    long entries = 0;
    for (MemStream s : head.select("t", List.of(LabelMatcher.eq("app", "s7")))) entries += s.counts()[0];
    assertThat(entries).isEqualTo(rounds * 20L);
    // sealed early means compressed: the head holds far less than the 120 KB of raw lines per stream
    assertThat(head.memoryBytes()).isLessThan(STREAMS * rounds * 20L * LINE / 2);
  }

  @Test
  void pagesStopGrowingPastTheSmallestEarlyBlockWhileTheBudgetIsNearlyUsed() {
    OpenBudget budget = new OpenBudget(4 << 20, 32 << 10);
    budget.add((4 << 20) - (4 << 20) / 16); // other streams' open blocks: within an eighth of the budget
    Head head = head(budget);
    LinePagesTest.allowMoreSlabs(8); // a slab per page size, whatever earlier tests left
    try {
      long pagesBefore = Head.offHeapPagesInUse();
      long fallbacksBefore = Head.heapPageFallbacks();
      int pushes = 50; // 100,000 bytes of lines into one stream's block: not full, and not sealed early
      for (int r = 0; r < pushes; r++) {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          entries.add(new LogEntry(r * 1_000L + i, ("r" + r + " e" + i + " ").repeat(30).substring(0, LINE)
              .getBytes(StandardCharsets.UTF_8), List.of()));
        }
        head.apply("t", new PushRequest(List.of(new PushStream(LabelSet.of("app", "big"), entries))), 0, r,
            ReplayMarks.none());
      }
      assertThat(budget.earlySeals()).isZero();
      long lineBytes = pushes * 20L * LINE;
      assertThat(Head.heapPageFallbacks()).as("every page off the heap, so counted below").isEqualTo(fallbacksBefore);
      // 4, 8 and 16 KiB pages up to the 32 KiB early-block size, then 4 KiB ones: the last is the only one
      // with room left (64 KiB pages from the fifth on would leave 24 KiB of it empty here)
      assertThat(Head.offHeapPagesInUse() - pagesBefore).isBetween(lineBytes, lineBytes + LinePages.MIN_PAGE);
      head.releasePages();
    } finally {
      LinePages.offHeapLimit(LinePages.DEFAULT_OFF_HEAP_LIMIT);
    }
  }

  @Test
  void cuttingAStreamGivesBackItsOpenBytes() {
    OpenBudget budget = new OpenBudget(Long.MAX_VALUE / 2, 4 << 10);
    Sealer inline = Sealer.inline(CODEC);
    Head head = head(budget, inline);
    LinePagesTest.allowMoreSlabs(1); // another test's Ingester may have set a small process-wide limit
    try {
      long pagesBefore = Head.offHeapPagesInUse();
      head.apply("t", push(0), 0, 0, ReplayMarks.none());
      assertThat(budget.bytes()).isEqualTo(STREAMS * 20L * LINE);
      assertThat(Head.offHeapPagesInUse() - pagesBefore).as("a 4 KiB direct page per stream")
          .isEqualTo(STREAMS * (long) LinePages.MIN_PAGE);
      List<MemStream.Cut> cuts = head.cut(new FlushPolicy(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, true, -1));
      assertThat(cuts).hasSize(STREAMS);
      // each stream's open block was compressed by the cut, and counted there
      assertThat(inline.counts().blocks(SealCounts.Where.FLUSH)).isEqualTo(STREAMS);
      assertThat(inline.counts().rawBytes(SealCounts.Where.FLUSH)).isEqualTo(STREAMS * 20L * LINE);
      long stored = 0;
      for (MemStream.Cut c : cuts) for (SealedBlock b : c.blocks()) stored += b.compressedBytes();
      assertThat(inline.counts().storedBytes(SealCounts.Where.FLUSH)).isEqualTo(stored);
      assertThat(inline.counts().blocks(SealCounts.Where.PUSH)).isZero();
      assertThat(budget.bytes()).isZero();
      assertThat(budget.earlySeals()).isZero();
      assertThat(Head.offHeapPagesInUse()).as("every page back once its block is sealed").isEqualTo(pagesBefore);
    } finally {
      LinePages.offHeapLimit(LinePages.DEFAULT_OFF_HEAP_LIMIT);
    }
  }

  @Test
  void withoutAHeadBoundThereIsNoBudget() {
    assertThat(OpenBudget.forHead(0, 256 << 10)).isSameAs(OpenBudget.UNLIMITED);
    OpenBudget b = OpenBudget.forHead(512L << 20, 256 << 10);
    assertThat(b.limitBytes()).isEqualTo(256L << 20);
    assertThat(b.minBlockBytes()).isEqualTo(32 << 10);
  }

  @Test
  void theDuplicateRuleHoldsAcrossAnEarlySeal() {
    OpenBudget budget = new OpenBudget(1, 1); // every append past the first byte seals early
    Head head = head(budget);
    LabelSet labels = LabelSet.of("app", "dup");
    byte[] line = "the same line".getBytes(StandardCharsets.UTF_8);
    for (int r = 0; r < 3; r++) {
      // the last entry of each push repeats in the next one: a duplicate of an entry already sealed
      List<LogEntry> entries = List.of(new LogEntry(10 + r, line, List.of()), new LogEntry(11 + r, line, List.of()));
      ApplyResult result = head.apply("t", new PushRequest(List.of(new PushStream(labels, entries))), 0, r,
          ReplayMarks.none());
      assertThat(result.streams().get(0).duplicates()).as("push " + r).isEqualTo(r == 0 ? 0 : 1);
    }
    assertThat(budget.earlySeals()).isEqualTo(3);
    MemStream s = head.select("t", List.of(LabelMatcher.eq("app", "dup"))).get(0);
    assertThat(s.counts()[0]).isEqualTo(4); // 10, 11, 12, 13
    assertThat(budget.bytes()).isZero();
  }

  @Test
  void noEarlySealsWhileTheSealerHoldsBlocksForReplay() {
    OpenBudget budget = new OpenBudget(1, 1);
    Sealer sealer = Sealer.inline(CODEC);
    sealer.hold(Long.MAX_VALUE);
    Head head = new Head(new HeadIndex<MemStream>(), CODEC, sealer, 256 << 10, 0, System::nanoTime, budget);
    head.apply("t", push(0), 0, 0, ReplayMarks.none());
    assertThat(budget.earlySeals()).isZero();
    assertThat(budget.bytes()).isEqualTo(STREAMS * 20L * LINE);
    sealer.release();
    head.apply("t", push(1), 0, 1, ReplayMarks.none());
    assertThat(budget.earlySeals()).isEqualTo(STREAMS);
  }

  @Test
  void aBudgetNeedsPositiveSizes() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OpenBudget(0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OpenBudget(1 << 20, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("early-sealed block");
  }
}
