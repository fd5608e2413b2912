package io.lodge.ingester.flush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.config.IngesterConfig;
import io.lodge.ingester.chunk.ChunkBlockCodec;
import io.lodge.ingester.chunk.ChunkPack;
import io.lodge.ingester.head.Head;
import io.lodge.ingester.head.MemStream;
import io.lodge.ingester.head.ReplayMarks;
import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.head.Sealer;
import io.lodge.ingester.index.ChunkRef;
import io.lodge.ingester.index.HeadIndex;
import io.lodge.ingester.index.LabelIndex;
import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.lodge.ingester.model.UnixNanos;
import io.lodge.ingester.read.Direction;
import io.lodge.ingester.read.EntryIterator;
import io.lodge.ingester.read.SelectRequest;
import io.lodge.ingester.read.StoreReader;
import io.lodge.ingester.store.FsObjectStore;
import io.lodge.ingester.testing.FaultyObjectStore;
import io.lodge.ingester.wal.WalMetrics;
import io.lodge.ingester.wal.WalOptions;
import io.lodge.ingester.wal.WalWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flusher's concurrent chunk writes against the real store, index and head. */
class FlusherTest {
  private static final String TENANT = "t";
  private static final long T0 = 1_700_000_000_000_000_000L;

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
  }

  @Test
  void chunkWritesOfOneCycleRunConcurrently() throws Exception {
    int streams = 6;
    // every write waits until `streams` writes are inside at once: a flusher writing one chunk at a time
    // would time out here instead of reaching the barrier
    CountDownLatch allInside = new CountDownLatch(streams);
    AtomicInteger inside = new AtomicInteger(), maxInside = new AtomicInteger();
    // one chunk to a pack, so that each stream is a write of its own
    Fixture f = new Fixture(8, 1, (store, tenant, chunks) -> {
      maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
      allInside.countDown();
      try {
        if (!allInside.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("writes did not overlap");
        return store.write(tenant, chunks);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } finally {
        inside.decrementAndGet();
      }
    });
    List<String> expected = f.push(streams, 50);

    assertThat(f.flusher.flush(true)).isEqualTo(streams);

    assertThat(maxInside.get()).isEqualTo(streams);
    assertThat(f.index.find(TENANT, List.of(LabelMatcher.eq("job", "j")), Long.MIN_VALUE, Long.MAX_VALUE)).hasSize(streams);
    assertThat(f.flusher.flush(true)).isZero(); // nothing left behind in the head
    assertThat(f.readAll()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void oneFailedWriteFailsTheCycleAndKeepsEveryBlockUntilTheRetry() throws Exception {
    AtomicInteger failuresLeft = new AtomicInteger(1);
    AtomicInteger written = new AtomicInteger();
    Fixture f = new Fixture(4, 1, (store, tenant, chunks) -> {
      if (chunks.get(0).labels().get("stream").equals("s3") && failuresLeft.getAndDecrement() > 0) {
        throw new java.io.UncheckedIOException(new java.io.IOException("disk on fire (test)"));
      }
      written.incrementAndGet();
      return store.write(tenant, chunks);
    });
    List<String> expected = f.push(5, 40);

    assertThatThrownBy(() -> f.flusher.flush(true)).hasMessageContaining("disk on fire");

    // nothing indexed, everything still readable from the head, and the four packs written were deleted
    assertThat(written.get()).isEqualTo(4);
    assertThat(f.index.find(TENANT, List.of(LabelMatcher.eq("job", "j")), Long.MIN_VALUE, Long.MAX_VALUE)).isEmpty();
    assertThat(f.readAll()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(f.objects.list("")).isEmpty();

    assertThat(f.flusher.flush(true)).isEqualTo(5);
    assertThat(f.index.find(TENANT, List.of(LabelMatcher.eq("job", "j")), Long.MIN_VALUE, Long.MAX_VALUE)).hasSize(5);
    assertThat(f.readAll()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void walPastHalfItsBudgetIsFreedAnEighthOfTheStreamsPerCycleAndAllAtOncePastTheBudget() throws Exception {
    int streams = 24;
    // three segments of ~300 KB; every stream holds entries in the first one (the head is told so)
    Fixture f = new Fixture(4, Flusher.PACK_BYTES, ChunkStore::write, 1_600_000);
    for (int seg = 0; seg < 3; seg++) {
      if (seg > 0) f.wal.rollSegment().get(10, TimeUnit.SECONDS);
      f.wal.append(new byte[300_000], p -> p).get(10, TimeUnit.SECONDS);
    }
    assertThat(f.wal.segmentIds()).hasSize(3);
    List<String> expected = f.push(streams, 30);
    // 900 KB: over half the budget, under the budget: 24 / 8 = 3 streams a cycle
    List<Integer> perCycle = new ArrayList<>();
    while (f.wal.segmentIds().size() == 3) {
      perCycle.add(f.flusher.flush(false));
      assertThat(perCycle.size()).as("cycles to free the oldest segment").isLessThanOrEqualTo(streams / 3);
    }
    assertThat(perCycle).hasSize(8).allMatch(n -> n == 3);
    assertThat(f.wal.segmentIds()).as("old segments went once every stream was cut").containsExactly(f.wal.currentSegmentId());
    assertThat(f.readAll()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(f.flusher.flush(false)).as("nothing left in old segments").isZero();

    // past the whole budget: every stream holding old entries goes in one cycle
    List<String> more = f.push(streams, 30, 1_000_000_000L); // told to be in segment 1 again: older than any kept
    for (int i = 0; i < 2; i++) f.wal.append(new byte[700_000], p -> p).get(10, TimeUnit.SECONDS);
    assertThat(f.wal.totalBytes()).isGreaterThan(1_600_000);
    assertThat(f.flusher.flush(false)).isEqualTo(streams);
    List<String> all = new ArrayList<>(expected);
    all.addAll(more);
    assertThat(f.readAll()).containsExactlyInAnyOrderElementsOf(all);
  }

  @Test
  void aCycleWritesItsChunksAsOneObjectAndReadsEachBackByItsRange() throws Exception {
    Fixture f = new Fixture(4, Flusher.PACK_BYTES, ChunkStore::write);
    List<String> expected = f.push(6, 50);

    assertThat(f.flusher.flush(true)).isEqualTo(6);

    List<String> objects = f.objects.list("");
    assertThat(objects).hasSize(1).allMatch(k -> k.startsWith(TENANT + "/packs/"));
    List<ChunkRef> refs = f.index.find(TENANT, List.of(LabelMatcher.eq("job", "j")), Long.MIN_VALUE, Long.MAX_VALUE);
    assertThat(refs).hasSize(6).allMatch(r -> r.object().equals(objects.get(0)));
    assertThat(refs).extracting(ChunkRef::key).doesNotHaveDuplicates();
    // the refs tile the pack in order, up to its footer, which lists the same chunks
    byte[] pack = f.objects.get(objects.get(0));
    List<ChunkPack.Entry> entries = ChunkPack.entries(pack, objects.get(0));
    List<ChunkRef> byOffset = refs.stream().sorted(java.util.Comparator.comparingLong(ChunkRef::offset)).toList();
    for (int i = 0; i < byOffset.size(); i++) {
      assertThat(entries.get(i).offset()).isEqualTo(byOffset.get(i).offset());
      assertThat((long) entries.get(i).length()).isEqualTo(byOffset.get(i).compressedBytes());
    }
    assertThat(f.readAll()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(f.counter("lodge_ingester_chunk_objects_written")).isEqualTo(1);
  }

  @Test
  void packsHoldOneTenantAndAboutTheTargetBytes() throws Exception {
    long target = 3_000;
    Fixture f = new Fixture(4, target, ChunkStore::write);
    List<String> expected = f.push(12, 50);
    f.push("other", 3, 50, 0);

    assertThat(f.flusher.flush(true)).isEqualTo(15);

    List<String> mine = f.objects.list(TENANT + "/packs/");
    assertThat(f.objects.list("other/packs/")).hasSize(1);
    assertThat(mine).hasSizeGreaterThan(1);
    int chunks = 0;
    for (String key : mine) {
      List<ChunkPack.Entry> entries = ChunkPack.entries(f.objects.get(key), key);
      long bytes = entries.stream().mapToLong(ChunkPack.Entry::length).sum();
      chunks += entries.size();
      // a pack goes past the target only by its last chunk
      assertThat(bytes - entries.get(entries.size() - 1).length()).as("chunk bytes of %s", key).isLessThanOrEqualTo(target);
    }
    assertThat(chunks).isEqualTo(12);
    assertThat(f.counter("lodge_ingester_chunk_objects_written")).isEqualTo(mine.size() + 1);
    assertThat(f.readAll()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void packsNoIndexEntryNamesAreDeletedWhenTheFlusherStarts() throws Exception {
    Fixture f = new Fixture(4, Flusher.PACK_BYTES, ChunkStore::write);
    f.push(3, 50);
    long before = UnixNanos.now();
    f.flusher.flush(true);
    String named = f.objects.list("").get(0);
    long since = Long.parseLong(f.index.committedUserData().get(UnindexedPacks.COMMIT_KEY));
    assertThat(since + UnindexedPacks.CLOCK_MARGIN_NANOS).isBetween(before, ChunkPack.writtenNanos(named));
    // what a crash between pack puts and the index commit leaves, in two tenants; and packs from before the
    // recorded time, in its day and the day before, which the commit says were accounted for
    byte[] pack = f.objects.get(named);
    String crashed = ChunkPack.key(TENANT, since + UnindexedPacks.CLOCK_MARGIN_NANOS + 1_000, 0x1234);
    String crashedOther = ChunkPack.key("other", since + 2_000, 0x5678);
    String justBefore = ChunkPack.key(TENANT, since - 1, 0x9abc);
    String dayBefore = ChunkPack.key(TENANT, since - 86_400_000_000_000L, 0xdef0);
    for (String key : List.of(crashed, crashedOther, justBefore, dayBefore)) f.objects.put(key, pack);

    Flusher restarted = f.restartedWithReopenedIndex();
    restarted.start();
    restarted.close(); // waits for the collection start() queued

    assertThat(f.objects.list("")).containsExactlyInAnyOrder(named, justBefore, dayBefore);
    assertThat(f.counter("lodge_ingester_unindexed_packs_deleted")).isEqualTo(2);
    assertThat(f.readAll()).hasSize(150);
  }

  @Test
  void aFailedCycleThatCouldNotDeleteItsPackLeavesItToTheNextCommittingCycle() throws Exception {
    Fixture f = new Fixture(4, Flusher.PACK_BYTES, ChunkStore::write);
    List<String> expected = f.push(3, 50);
    f.faulty.failPuts(FaultyObjectStore.When.AFTER, key -> true).failDeletes(key -> true);

    assertThatThrownBy(() -> f.flusher.flush(true)).hasMessageContaining("directory fsync failed");
    List<String> stranded = f.objects.list("");
    assertThat(stranded).hasSize(1);

    f.faulty.failPuts(FaultyObjectStore.When.BEFORE, key -> false).failDeletes(key -> false);
    assertThat(f.flusher.flush(true)).isEqualTo(3);
    f.flusher.close(); // waits for the collection the committing cycle queued

    List<String> left = f.objects.list("");
    assertThat(left).hasSize(1).doesNotContainAnyElementsOf(stranded);
    assertThat(f.index.namesObject(left.get(0))).isTrue();
    assertThat(f.counter("lodge_ingester_unindexed_packs_deleted")).isEqualTo(1);
    assertThat(f.readAll()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aCollectionThatFailsIsRetriedAndTheCommitsKeepItsTimeUntilItSucceeds() throws Exception {
    Fixture f = new Fixture(4, Flusher.PACK_BYTES, ChunkStore::write);
    f.push(3, 50);
    f.faulty.failPuts(FaultyObjectStore.When.AFTER, key -> true).failDeletes(key -> true);
    assertThatThrownBy(() -> f.flusher.flush(true)).hasMessageContaining("directory fsync failed");
    String stranded = f.objects.list("").get(0);
    f.faulty.failPuts(FaultyObjectStore.When.BEFORE, key -> false).failDeletes(stranded::equals);

    f.flusher.flush(true); // commits, then its collection fails to delete the stranded pack
    f.flusher.collectUnindexedPacks(); // a retry that fails too
    assertThat(f.objects.exists(stranded)).isTrue();
    // the commit recorded the failed cycle's time, not its own: a restart still looks at the stranded pack
    long since = Long.parseLong(f.index.committedUserData().get(UnindexedPacks.COMMIT_KEY));
    assertThat(since).isLessThanOrEqualTo(ChunkPack.writtenNanos(stranded) - UnindexedPacks.CLOCK_MARGIN_NANOS);

    f.faulty.failDeletes(key -> false);
    f.flusher.collectUnindexedPacks();
    assertThat(f.objects.exists(stranded)).isFalse();
    assertThat(f.objects.list("")).hasSize(1);
    assertThat(f.counter("lodge_ingester_unindexed_packs_deleted")).isEqualTo(1);
  }

  @Test
  void aPackIndexedAfterTheListingIsKept() throws Exception {
    Fixture f = new Fixture(4, Flusher.PACK_BYTES, ChunkStore::write);
    f.push(2, 50);
    f.faulty.failPuts(FaultyObjectStore.When.AFTER, key -> true).failDeletes(key -> true);
    assertThatThrownBy(() -> f.flusher.flush(true)).isInstanceOf(RuntimeException.class);
    String stranded = f.objects.list("").get(0);
    f.faulty.failPuts(FaultyObjectStore.When.BEFORE, key -> false).failDeletes(key -> false);
    // a cycle indexes a new pack while the collection lists (on another thread: the listing holds no lock),
    // and the listing saw it before the index did
    f.afterList = listed -> {
      try {
        java.util.concurrent.CompletableFuture.runAsync(() -> f.flusher.flush(true)).get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("the cycle did not finish while the collection listed", e);
      }
      List<String> seen = new ArrayList<>(listed);
      try {
        for (String key : f.objects.list("")) if (!key.equals(stranded)) seen.add(key);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return seen;
    };

    f.flusher.collectUnindexedPacks();

    List<String> left = f.objects.list("");
    assertThat(left).hasSize(1).doesNotContain(stranded);
    assertThat(f.index.namesObject(left.get(0))).isTrue();
    assertThat(f.readAll()).hasSize(100);
    // the cycle committed while the collection ran: it recorded the time the collection had taken on, so a
    // crash then would still have had the stranded pack looked at
    long since = Long.parseLong(f.index.committedUserData().get(UnindexedPacks.COMMIT_KEY));
    assertThat(since).isLessThanOrEqualTo(ChunkPack.writtenNanos(stranded) - UnindexedPacks.CLOCK_MARGIN_NANOS);
  }

  @Test
  void aCollectionNeverHoldsUpTheChunkWritesOfACycle() throws Exception {
    Fixture f = new Fixture(1, Flusher.PACK_BYTES, ChunkStore::write); // one chunk writer
    f.push(2, 50);
    f.flusher.flush(true);
    f.push(2, 50, 1_000_000_000L);
    java.util.concurrent.atomic.AtomicReference<Flusher> running = new java.util.concurrent.atomic.AtomicReference<>();
    CountDownLatch flushedWhileListing = new CountDownLatch(1);
    // a cycle that runs while the collection lists, its puts on the one chunk writer
    f.afterList = listed -> {
      assertThat(running.get().flush(true)).isEqualTo(2);
      flushedWhileListing.countDown();
      return listed;
    };
    Flusher restarted = f.restartedWithReopenedIndex();
    running.set(restarted);

    restarted.start();

    assertThat(flushedWhileListing.await(30, TimeUnit.SECONDS)).as("the cycle finished").isTrue();
    assertThat(f.readAll()).hasSize(200);
  }

  @Test
  void moreUnnamedPacksThanACrashLeavesAreKept() throws Exception {
    Fixture f = new Fixture(4, Flusher.PACK_BYTES, ChunkStore::write);
    f.push(1, 50);
    f.flusher.flush(true);
    long since = Long.parseLong(f.index.committedUserData().get(UnindexedPacks.COMMIT_KEY));
    List<String> unnamed = new ArrayList<>();
    for (int i = 0; i <= UnindexedPacks.DELETE_LIMIT; i++) {
      String key = ChunkPack.key(TENANT, since + UnindexedPacks.CLOCK_MARGIN_NANOS + i, i);
      f.objects.put(key, new byte[] {1});
      unnamed.add(key);
    }

    Flusher restarted = f.restartedWithReopenedIndex();
    restarted.start();
    restarted.close();

    assertThat(f.objects.list("")).containsAll(unnamed).hasSize(unnamed.size() + 1);
    assertThat(f.counter("lodge_ingester_unindexed_packs_kept")).isEqualTo(UnindexedPacks.DELETE_LIMIT + 1);
    assertThat(f.counter("lodge_ingester_unindexed_packs_deleted")).isZero();
  }

  @Test
  void anIndexThatNeverRecordedTheTimeKeepsEveryPack() throws Exception {
    Fixture f = new Fixture(4, Flusher.PACK_BYTES, ChunkStore::write);
    f.push(2, 50);
    f.flusher.flush(true);
    String named = f.objects.list("").get(0);
    f.index.commit(java.util.Map.of()); // as an index written before the time was recorded
    String unnamed = ChunkPack.key(TENANT, UnixNanos.now(), 0x1234);
    f.objects.put(unnamed, f.objects.get(named));

    Flusher restarted = f.restartedWithReopenedIndex();
    restarted.start();
    restarted.close();

    assertThat(f.objects.list("")).containsExactlyInAnyOrder(named, unnamed);
  }

  @Test
  void refusesZeroWriters() {
    IngesterConfig d = IngesterConfig.defaults();
    IngesterConfig zero = new IngesterConfig(d.chunkTargetSize(), d.chunkBlockSize(), d.maxChunkAge(),
        d.chunkIdlePeriod(), d.flushCheckPeriod(), d.chunkRetainPeriod(), d.wal(), d.maxHeadBytes(), 0, d.lineDictionaries());
    assertThatThrownBy(() -> new Flusher(null, null, null, null, zero, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ingester.concurrent_flushes must be at least 1, got 0");
  }

  /** A pack write that may wrap the real store's. */
  interface Write {
    List<ChunkRef> write(ChunkStore real, String tenant, List<PendingChunk> chunks);
  }

  /** A real head, WAL, object store and index in the temp directory, with the flusher under test. */
  private final class Fixture {
    final Head head;
    LabelIndex index;
    /** What the store's pack listing returns, given what it found. */
    volatile java.util.function.UnaryOperator<List<String>> afterList = listed -> listed;
    final Flusher flusher;
    final WalWriter wal;
    final FsObjectStore objects;
    final FaultyObjectStore faulty;
    final ChunkStore store;
    final IngesterConfig config;
    final PrometheusRegistry registry = new PrometheusRegistry();
    final FlushMetrics metrics = new FlushMetrics(registry);

    Fixture(int concurrentFlushes, long packBytes, Write write) throws Exception {
      this(concurrentFlushes, packBytes, write, IngesterConfig.defaults().wal().maxSize());
    }

    Fixture(int concurrentFlushes, long packBytes, Write write, long walMaxSize) throws Exception {
      ChunkBlockCodec codec = new ChunkBlockCodec(3);
      Sealer sealer = new Sealer(codec, 1, 64);
      open.add(sealer);
      head = new Head(new HeadIndex<MemStream>(), codec, sealer, 4096, 0, System::nanoTime);
      objects = new FsObjectStore(dir.resolve("chunks"));
      faulty = new FaultyObjectStore(objects);
      ObjectChunkStore real = new ObjectChunkStore(faulty);
      ChunkStore store = new ChunkStore() {
        @Override
        public List<ChunkRef> write(String tenant, List<PendingChunk> chunks) {
          return write.write(real, tenant, chunks);
        }

        @Override
        public void discard(List<ChunkRef> refs) {
          real.discard(refs);
        }

        @Override
        public List<String> listPacks(long sinceNanos, java.util.function.Predicate<String> select) {
          return afterList.apply(real.listPacks(sinceNanos, select));
        }

        @Override
        public void deletePack(String key) {
          real.deletePack(key);
        }

        @Override
        public List<SealedBlock> read(ChunkRef ref, long fromNanos, long toNanos) {
          return real.read(ref, fromNanos, toNanos);
        }
      };
      this.store = store;
      index = new LabelIndex(dir.resolve("index"));
      open.add(index);
      wal = new WalWriter(dir.resolve("wal"), new WalOptions(false, 1 << 20), new WalMetrics(new PrometheusRegistry()));
      open.add(wal);
      IngesterConfig d = IngesterConfig.defaults();
      io.lodge.config.WalConfig w = d.wal();
      io.lodge.config.WalConfig walConfig = new io.lodge.config.WalConfig(w.enabled(), w.dir(), w.sync(), w.segmentSize(),
          walMaxSize, w.skipCorruptRecords(), w.flushOnShutdown());
      config = new IngesterConfig(d.chunkTargetSize(), d.chunkBlockSize(), d.maxChunkAge(),
          d.chunkIdlePeriod(), d.flushCheckPeriod(), d.chunkRetainPeriod(), walConfig, d.maxHeadBytes(), concurrentFlushes,
          d.lineDictionaries());
      flusher = new Flusher(head, store, index, wal, config, FlushMarks.decode(null), metrics, packBytes);
      open.add(flusher);
    }

    /**
     * This fixture's flusher closed, the index closed and opened again, and a new flusher over it, the same head
     * and store: what a restarted process opens.
     */
    Flusher restartedWithReopenedIndex() throws Exception {
      flusher.close();
      open.remove(index);
      index.close();
      index = new LabelIndex(dir.resolve("index"));
      open.add(index);
      Flusher f = new Flusher(head, store, index, wal, config, FlushMarks.decode(null), metrics, Flusher.PACK_BYTES);
      open.add(f);
      return f;
    }

    /** Appends {@code perStream} lines to each of {@code streams} streams; returns "stream line" strings. */
    List<String> push(int streams, int perStream) {
      return push(streams, perStream, 0);
    }

    /** The same, {@code shift} ns later and with other lines (so that none is a duplicate of an earlier push). */
    List<String> push(int streams, int perStream, long shift) {
      return push(TENANT, streams, perStream, shift);
    }

    /** The same, for {@code tenant}. */
    List<String> push(String tenant, int streams, int perStream, long shift) {
      List<String> expected = new ArrayList<>();
      List<PushStream> push = new ArrayList<>();
      for (int s = 0; s < streams; s++) {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < perStream; i++) {
          String line = "line " + i + " of stream " + s + (shift == 0 ? "" : " shifted " + shift)
              + " with some padding to fill blocks " + "x".repeat(i % 40);
          entries.add(LogEntry.of(T0 + shift + i * 1_000_000L, line));
          expected.add(line);
        }
        push.add(new PushStream(LabelSet.of("job", "j", "stream", "s" + s), entries));
      }
      head.apply(tenant, new PushRequest(push), 1, 0, ReplayMarks.none());
      return expected;
    }

    double counter(String name) {
      return ((io.prometheus.metrics.model.snapshots.CounterSnapshot) registry.scrape(name::equals).get(0))
          .getDataPoints().get(0).getValue();
    }

    List<String> readAll() {
      List<String> lines = new ArrayList<>();
      StoreReader reader = new StoreReader(head, index, store::read); // over the index open now
      try (EntryIterator it = reader.select(new SelectRequest(TENANT, List.of(LabelMatcher.eq("job", "j")),
          T0 - 1, T0 + 3_600_000_000_000L, Direction.FORWARD))) {
        while (it.next()) lines.add(new String(it.line(), StandardCharsets.UTF_8));
      }
      return lines;
    }
  }
}
