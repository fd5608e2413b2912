package io.lodge.ingester.flush;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.chunk.ChunkPack;
import io.lodge.ingester.index.LabelIndex;
import io.lodge.ingester.store.FsObjectStore;
import io.lodge.ingester.testing.FaultyObjectStore;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collection's own rules against a real store and index, with a clock the test moves. */
class UnindexedPacksTest {
  private static final long T = 1_798_000_000_000_000_000L;
  private static final long MARGIN = UnindexedPacks.CLOCK_MARGIN_NANOS;

  @TempDir Path dir;

  @Test
  void aFailedCollectionIsRetriedOnlyAfterACommittingCycleAMinuteLater() throws Exception {
    FsObjectStore objects = new FsObjectStore(dir.resolve("chunks"));
    FaultyObjectStore faulty = new FaultyObjectStore(objects).failDeletes(key -> true);
    AtomicLong clock = new AtomicLong(5_000);
    Object lock = new Object();
    String stranded = ChunkPack.key("t", T + 1, 7);
    objects.put(stranded, new byte[] {1});
    try (LabelIndex index = new LabelIndex(dir.resolve("index"))) {
      UnindexedPacks packs = new UnindexedPacks(new ObjectChunkStore(faulty), index, lock,
          new FlushMetrics(new PrometheusRegistry()), clock::get, T, UnindexedPacks.DELETE_LIMIT);

      packs.collect(); // the delete fails
      assertThat(objects.exists(stranded)).isTrue();
      synchronized (lock) {
        assertThat(packs.cycleStarting(T + 10 * MARGIN)).as("still recorded").isEqualTo(T);
        assertThat(packs.cycleCommitted()).as("due only a minute later").isFalse();
      }
      clock.addAndGet(UnindexedPacks.RETRY_NANOS);
      synchronized (lock) {
        packs.cycleStarting(T + 20 * MARGIN);
        assertThat(packs.cycleCommitted()).isTrue();
      }

      faulty.failDeletes(key -> false);
      packs.collect();
      assertThat(objects.exists(stranded)).isFalse();
      synchronized (lock) {
        assertThat(packs.cycleStarting(T + 30 * MARGIN)).as("nothing older left").isEqualTo(T + 29 * MARGIN);
        assertThat(packs.cycleCommitted()).as("nothing to collect").isFalse();
      }
    }
  }

  @Test
  void aFailingCycleLowersTheRecordedTimeUntilACollectionSucceeds() throws Exception {
    Object lock = new Object();
    try (LabelIndex index = new LabelIndex(dir.resolve("index"))) {
      UnindexedPacks packs = new UnindexedPacks(new ObjectChunkStore(new FsObjectStore(dir.resolve("chunks"))), index,
          lock, new FlushMetrics(new PrometheusRegistry()), System::nanoTime, Long.MAX_VALUE, UnindexedPacks.DELETE_LIMIT);
      synchronized (lock) {
        assertThat(packs.cycleStarting(T)).isEqualTo(T - MARGIN);
        // the cycle fails: no cycleCommitted; the next one records the failed cycle's time
        assertThat(packs.cycleStarting(T + 100)).isEqualTo(T - MARGIN);
        assertThat(packs.cycleCommitted()).as("the failed cycle's packs are due").isTrue();
        assertThat(packs.cycleStarting(T + 200)).isEqualTo(T - MARGIN);
      }
      packs.collect(); // finds nothing, succeeds
      synchronized (lock) {
        assertThat(packs.cycleStarting(T + 300)).isEqualTo(T + 300 - MARGIN);
      }
    }
  }

  @Test
  void theLimitGrowsWithTheHeadAndAnUnreadableRecordKeepsEverything() {
    assertThat(UnindexedPacks.deleteLimit(0, 8 << 20)).isEqualTo(UnindexedPacks.DELETE_LIMIT);
    assertThat(UnindexedPacks.deleteLimit(512L << 20, 8 << 20)).isEqualTo(UnindexedPacks.DELETE_LIMIT);
    assertThat(UnindexedPacks.deleteLimit(4L << 30, 8 << 20)).isEqualTo(1024);
    assertThat(UnindexedPacks.recorded(Map.of(UnindexedPacks.COMMIT_KEY, "12"), "idx")).isEqualTo(12);
    assertThat(UnindexedPacks.recorded(Map.of(UnindexedPacks.COMMIT_KEY, "soon"), "idx")).isEqualTo(Long.MAX_VALUE);
    assertThat(UnindexedPacks.recorded(Map.of(), "idx")).isEqualTo(Long.MAX_VALUE);
  }
}
