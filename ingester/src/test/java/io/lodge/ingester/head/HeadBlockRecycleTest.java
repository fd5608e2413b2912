package io.lodge.ingester.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.chunk.ChunkBlockCodec;
import io.lodge.ingester.model.EntryBatch;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Page recycling never lets a page be reused while a block that holds it can still be read or encoded:
 * the pages of a sealed block go back to the pool only after its last reader or encoder is done, and
 * readers racing the sealer, the flusher and new blocks reusing pages always see their own lines.
 */
class HeadBlockRecycleTest {
  private static final ChunkBlockCodec CODEC = new ChunkBlockCodec(3);

  /** Line of entry {@code ts}: its timestamp, then filler of a length that varies with it. */
  private static byte[] expectedLine(long ts) {
    StringBuilder b = new StringBuilder("ts=").append(ts).append(' ');
    int len = (int) (ts * 7919 % 400);
    for (int i = 0; i < len; i++) b.append((char) ('a' + (ts + i) % 26));
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static OpenBlock filled(long firstTs, int n) {
    OpenBlock o = new OpenBlock();
    for (long ts = firstTs; ts < firstTs + n; ts++) {
      byte[] line = expectedLine(ts);
      o.append(ts, line, List.of(), line.length, 1 << 20);
    }
    return o;
  }

  /** A codec whose encode waits until released, to hold an encoder inside a block. */
  private static final class PausingCodec implements BlockCodec {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch proceed = new CountDownLatch(1);
    final AtomicReference<SealedBlock> encoded = new AtomicReference<>();

    @Override
    public SealedBlock encode(String tenant, LabelSet labels, BlockColumns columns) {
      entered.countDown();
      try {
        if (!proceed.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      SealedBlock s = CODEC.encode(tenant, labels, columns);
      encoded.set(s);
      return s;
    }

    @Override
    public EntrySnapshot decode(SealedBlock block) {
      return CODEC.decode(block);
    }
  }

  @AfterEach
  void restoreLimit() {
    LinePages.offHeapLimit(LinePages.DEFAULT_OFF_HEAP_LIMIT);
  }

  @Test
  void pagesReturnToThePoolOnlyAfterTheLastEncoderIsDone() throws Exception {
    LinePages.clear();
    ColumnArrays.clear();
    LinePagesTest.allowMoreSlabs(6); // a slab per page size at most, whatever earlier tests left
    OpenBlock o = filled(1_000, 3_000); // ~600 KB: a dozen pages
    List<ByteBuffer> pages = new ArrayList<>();
    for (int p = 0; p < o.pageCount(); p++) pages.add(o.page(p));
    assertThat(pages.size()).isGreaterThan(5);
    assertThat(pages).as("the off-heap pages this test is about").allMatch(ByteBuffer::isDirect);
    ColumnArrays columns = o.pooledColumns();
    assertThat(columns).isNotNull();
    HeadBlock h = new HeadBlock(o, "t", LabelSet.of("app", "a"));

    PausingCodec slow = new PausingCodec();
    SealCounts counts = new SealCounts();
    CompletableFuture<SealedBlock> sealer = CompletableFuture.supplyAsync(() -> h.seal(slow, counts, SealCounts.Where.SEALER));
    assertThat(slow.entered.await(10, TimeUnit.SECONDS)).isTrue();
    SealedBlock flushed = h.seal(CODEC, counts, SealCounts.Where.FLUSH); // the flusher seals inline while the sealer is still encoding
    assertThat(h.sealedOrNull()).isSameAs(flushed);
    assertThat(pages).as("still in use by the sealer: none pooled").noneMatch(LinePages::isPooled);
    assertThat(ColumnArrays.isPooled(columns)).isFalse();
    // other streams' new blocks meanwhile must not get any of its pages
    for (int i = 0; i < 50; i++) {
      OpenBlock other = filled(1_000_000L * (i + 1), 500);
      for (int p = 0; p < other.pageCount(); p++) {
        ByteBuffer page = other.page(p);
        assertThat(pages).noneMatch(x -> x == page);
      }
    }

    slow.proceed.countDown();
    assertThat(sealer.get(10, TimeUnit.SECONDS)).as("the first sealed block wins").isSameAs(flushed);
    assertThat(counts.blocks(SealCounts.Where.FLUSH)).as("counted once, where it was kept").isEqualTo(1);
    assertThat(counts.blocks(SealCounts.Where.SEALER)).isZero();
    assertThat(counts.rawBytes(SealCounts.Where.FLUSH)).isEqualTo(h.rawBytes());
    assertThat(counts.storedBytes(SealCounts.Where.FLUSH)).isEqualTo(flushed.compressedBytes());
    assertThat(slow.encoded.get().bytes()).as("the held encoder read the block's own lines").isEqualTo(flushed.bytes());
    assertThat(h.rawSnapshot()).as("raw entries dropped after the last user").isNull();
    assertThat(pages).as("all pages back in the pool").allMatch(LinePages::isPooled);
    assertThat(ColumnArrays.isPooled(columns)).as("and the column set").isTrue();
    // the flusher may still size a block a sealer just recycled: counters only, no array access
    assertThat(o.retainedBytes()).isGreaterThanOrEqualTo(o.rawBytes());
    EntrySnapshot back = CODEC.decode(flushed);
    for (int i = 0; i < back.size(); i++) assertThat(back.lines()[i]).isEqualTo(expectedLine(1_000 + i));
  }

  @Test
  void aRecycledColumnSetComesBackWithoutMetadata() {
    ColumnArrays.clear();
    OpenBlock withMetadata = new OpenBlock();
    List<io.lodge.ingester.model.Label> md = List.of(new io.lodge.ingester.model.Label("trace_id", "t1"));
    for (long ts = 0; ts < 700; ts++) {
      byte[] line = expectedLine(ts);
      withMetadata.append(ts, line, md, line.length + 10, 1 << 20);
    }
    ColumnArrays set = withMetadata.pooledColumns();
    assertThat(set).isNotNull();
    new HeadBlock(withMetadata, "t", LabelSet.of("app", "a")).seal(CODEC, new SealCounts(), SealCounts.Where.SEALER);
    assertThat(ColumnArrays.isPooled(set)).isTrue();
    OpenBlock without = filled(10_000, 700);
    assertThat(without.pooledColumns()).as("the next big block takes the recycled set").isSameAs(set);
    EntrySnapshot s = without.sortedSnapshot();
    for (int i = 0; i < s.size(); i++) {
      assertThat(s.metadata()[i]).as("entry %d", i).isEmpty();
      assertThat(s.lines()[i]).isEqualTo(expectedLine(10_000 + i));
    }
  }

  @Test
  void aReaderOfAFrozenBlockHoldsItsPagesUntilItsCopyIsDone() throws Exception {
    LinePages.clear();
    OpenBlock o = filled(5_000, 2_000);
    HeadBlock h = new HeadBlock(o, "t", LabelSet.of("app", "a"));
    EntrySnapshot before = h.rawSnapshot();
    h.seal(CODEC, new SealCounts(), SealCounts.Where.SEALER);
    assertThat(h.rawSnapshot()).isNull();
    // the reader's copy survives its pages being reused by a new block
    OpenBlock reuse = filled(9_000_000, 5_000);
    assertThat(reuse.pageCount()).isGreaterThan(0);
    for (int i = 0; i < before.size(); i++) assertThat(before.lines()[i]).isEqualTo(expectedLine(5_000 + i));
  }

  @Test
  void readersRacingSealerFlusherAndPageReuseSeeTheirOwnLines() throws Exception {
    Sealer sealer = new Sealer(CODEC, 1, 64);
    MemStream stream = new MemStream("t", LabelSet.of("app", "recycle"), 0);
    AppendContext ctx = new AppendContext(0, 4096, sealer, 0); // 4 KiB blocks: a seal every ~20 entries
    AtomicLong checked = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    // at least 1.5 s of racing, and on a slow machine on until the readers checked enough entries
    long minEnd = System.nanoTime() + 1_500_000_000L;
    long maxEnd = minEnd + 30_000_000_000L;
    java.util.function.BooleanSupplier racing = () -> {
      long now = System.nanoTime();
      return now - maxEnd < 0 && (now - minEnd < 0 || checked.get() <= 1_000);
    };
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      Thread t = new Thread(() -> {
        try {
          while (racing.getAsBoolean() && failure.get() == null) {
            MemStream.Snapshot snap = stream.snapshot(Long.MIN_VALUE, Long.MAX_VALUE);
            for (EntrySnapshot raw : snap.raw()) checkEntries(raw, checked);
            for (SealedBlock b : snap.blocks()) checkEntries(CODEC.decode(b), checked);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "reader-" + r);
      t.start();
      readers.add(t);
    }
    long ts = 1;
    long appends = 0;
    try {
      while (racing.getAsBoolean() && failure.get() == null) {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 7; i++, ts++) entries.add(new LogEntry(ts, expectedLine(ts), List.of()));
        assertThat(stream.append(EntryBatch.copyOf(entries), 0, appends++, ctx, new ApplyResult().stream(stream.labels()))).isTrue();
        if (appends % 40 == 0) {
          MemStream.Cut cut = stream.cut(CutReason.FULL, CODEC, sealer.counts()); // races the sealer thread
          stream.flushed(cut.blocks());
        }
      }
    } finally {
      for (Thread t : readers) t.join();
      sealer.close();
    }
    if (failure.get() != null) throw new AssertionError("a reader saw a wrong line", failure.get());
    assertThat(checked.get()).as("entries the readers checked").isGreaterThan(1_000);
  }

  private static void checkEntries(EntrySnapshot s, AtomicLong checked) {
    for (int i = 0; i < s.size(); i++) {
      byte[] want = expectedLine(s.timestamps()[i]);
      if (!java.util.Arrays.equals(s.lines()[i], want)) {
        throw new AssertionError("entry " + s.timestamps()[i] + ": got '" + new String(s.lines()[i], StandardCharsets.UTF_8)
            + "', want '" + new String(want, StandardCharsets.UTF_8) + "'");
      }
    }
    checked.addAndGet(s.size());
  }
}
