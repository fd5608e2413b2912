package io.lodge.ingester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.config.ConfigLoader;
import io.lodge.config.IngesterConfig;
import io.lodge.config.LimitsConfig;
import io.lodge.config.LodgeConfig;
import io.lodge.ingester.head.Head;
import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.lodge.ingester.read.Direction;
import io.lodge.ingester.read.EntryIterator;
import io.lodge.ingester.read.SelectRequest;
import io.lodge.ingester.testing.TestIngesters;
import io.lodge.ingester.wal.WalReplay;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assembled engine on real files: push, read from head and chunks, restart, replay. */
class IngesterTest {
  private static final long NOW = Instant.now().getEpochSecond() * 1_000_000_000L;

  @TempDir Path dir;

  private LodgeConfig config() {
    return TestIngesters.smallBlocks(dir, 16 * 1024, 2048);
  }

  /** Tenant and stream rate limits far above what a test pushes. */
  private static LimitsConfig noRateLimits() {
    return ConfigLoader.fromYaml("""
        limits_config:
          ingestion_rate_mb: 1000
          ingestion_burst_size_mb: 1000
          per_stream_rate_limit: 1GB
          per_stream_rate_limit_burst: 1GB
        """, "limits.yaml").config().limits();
  }

  private static PushRequest request(LabelSet labels, long firstTs, int n, String prefix) {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < n; i++) entries.add(LogEntry.of(firstTs + i * 1000L, prefix + " line " + i));
    return new PushRequest(List.of(new PushStream(labels, entries)));
  }

  private static List<String> readLines(Ingester ing, String tenant, String app, Direction dir) {
    List<String> out = new ArrayList<>();
    try (EntryIterator it = ing.reader().select(new SelectRequest(tenant, List.of(LabelMatcher.eq("app", app)),
        NOW - Duration.ofHours(2).toNanos(), NOW + Duration.ofHours(1).toNanos(), dir))) {
      long last = dir == Direction.FORWARD ? Long.MIN_VALUE : Long.MAX_VALUE;
      while (it.next()) {
        long ts = it.timestampNanos();
        assertThat(dir == Direction.FORWARD ? ts >= last : ts <= last).as("order").isTrue();
        last = ts;
        out.add(new String(it.line()));
      }
    }
    return out;
  }

  @Test
  void entriesAreReadableFromHeadThenChunksThenAfterRestart() throws Exception {
    LabelSet web = LabelSet.of("app", "web", "service_name", "web");
    List<String> expected = new ArrayList<>();
    try (Ingester ing = new Ingester(config(), new PrometheusRegistry())) {
      ing.start();
      for (int batch = 0; batch < 20; batch++) {
        PushOutcome o = ing.pushService().push("t1", request(web, NOW - 3_600_000_000_000L + batch * 1_000_000L, 50, "b" + batch)).get();
        assertThat(o).isEqualTo(PushOutcome.ok());
        for (int i = 0; i < 50; i++) expected.add("b" + batch + " line " + i);
      }
      assertThat(readLines(ing, "t1", "web", Direction.FORWARD)).containsExactlyElementsOf(expected);
      assertThat(readLines(ing, "t2", "web", Direction.FORWARD)).as("tenant isolation").isEmpty();
      assertThat(ing.flushAll()).isEqualTo(1);
      assertThat(chunkFiles()).isNotEmpty();
      assertThat(readLines(ing, "t1", "web", Direction.FORWARD)).containsExactlyElementsOf(expected);
      List<String> backward = readLines(ing, "t1", "web", Direction.BACKWARD);
      assertThat(backward).containsExactlyElementsOf(expected.reversed());
      // more data after the flush stays in the head and the WAL
      assertThat(ing.pushService().push("t1", request(web, NOW - 60_000_000_000L, 10, "late")).get().status()).isEqualTo(204);
      for (int i = 0; i < 10; i++) expected.add("late line " + i);
    }
    try (Ingester ing = new Ingester(config(), new PrometheusRegistry())) {
      ing.start();
      assertThat(readLines(ing, "t1", "web", Direction.FORWARD)).as("after restart: exactly once").containsExactlyElementsOf(expected);
    }
  }

  @Test
  void closingGivesBackTheUnsealedLinePagesAndTheWalStillHasTheirEntries() throws Exception {
    LabelSet api = LabelSet.of("app", "api", "service_name", "api");
    List<String> expected = new ArrayList<>();
    long before = Head.offHeapPagesInUse();
    try (Ingester ing = new Ingester(config(), new PrometheusRegistry())) {
      ing.start();
      for (int batch = 0; batch < 5; batch++) {
        assertThat(ing.pushService().push("t1", request(api, NOW - 60_000_000_000L + batch * 1_000_000L, 50, "c" + batch))
            .get()).isEqualTo(PushOutcome.ok());
        for (int i = 0; i < 50; i++) expected.add("c" + batch + " line " + i);
      }
      assertThat(Head.offHeapPagesInUse()).as("the open block's direct pages").isGreaterThan(before);
    }
    assertThat(Head.offHeapPagesInUse()).as("all given back on close").isEqualTo(before);
    try (Ingester ing = new Ingester(config(), new PrometheusRegistry())) {
      ing.start();
      assertThat(readLines(ing, "t1", "api", Direction.FORWARD)).as("replayed from the WAL").containsExactlyElementsOf(expected);
    }
  }

  @Test
  void replayRestoresUnflushedStreamsExactlyOnceWhenOthersWereFlushed() throws Exception {
    Random rnd = new Random(42);
    LabelSet a = LabelSet.of("app", "a");
    LabelSet b = LabelSet.of("app", "b");
    List<String> expectA = new ArrayList<>(), expectB = new ArrayList<>();
    try (Ingester ing = new Ingester(config(), new PrometheusRegistry())) {
      ing.start();
      long ts = NOW - 1_800_000_000_000L;
      for (int round = 0; round < 30; round++) {
        boolean toA = rnd.nextBoolean();
        PushRequest r = request(toA ? a : b, ts, 5, "r" + round);
        ts += 10_000;
        assertThat(ing.pushService().push("t", r).get().status()).isEqualTo(204);
        for (int i = 0; i < 5; i++) (toA ? expectA : expectB).add("r" + round + " line " + i);
        if (round == 15) ing.flushAll(); // both streams flushed mid-way; the WAL keeps later records
      }
    }
    try (Ingester ing = new Ingester(config(), new PrometheusRegistry())) {
      ing.start();
      assertThat(readLines(ing, "t", "a", Direction.FORWARD)).containsExactlyElementsOf(expectA);
      assertThat(readLines(ing, "t", "b", Direction.FORWARD)).containsExactlyElementsOf(expectB);
      ing.flushAll();
    }
    try (Ingester ing = new Ingester(config(), new PrometheusRegistry())) {
      ing.start();
      assertThat(readLines(ing, "t", "a", Direction.FORWARD)).containsExactlyElementsOf(expectA);
      assertThat(readLines(ing, "t", "b", Direction.FORWARD)).containsExactlyElementsOf(expectB);
    }
  }

  /**
   * A WAL of 16 MiB or more replays with line page slabs made ahead on a thread of their own: every line
   * comes back, in order, and the blocks took their pages from that thread's slabs. Line pages are
   * process-wide, so the test pushes more than the free pages earlier tests left.
   */
  @Test
  void aBigWalReplaysWithPrefetchedPageSlabs() throws Exception {
    LodgeConfig config = LodgeConfig.defaults().withPathPrefix(dir.resolve("big")).withLimits(noRateLimits());
    Random rnd = new Random(5);
    List<LabelSet> streams = new ArrayList<>();
    for (int s = 0; s < 8; s++) streams.add(LabelSet.of("app", "big" + s));
    long[] counts = new long[streams.size()];
    long free = Head.offHeapPageBytes() - Head.offHeapPagesInUse();
    long target = free + (24L << 20), pushed = 0;
    try (Ingester ing = new Ingester(config, new PrometheusRegistry())) {
      ing.start();
      long ts = NOW - 600_000_000_000L;
      for (int push = 0; pushed < target; push++) {
        int s = push % streams.size();
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
          String line = counts[s] + i + " " + randomText(rnd, 480); // the count first: a check of order
          entries.add(LogEntry.of(ts++, line));
          pushed += line.length();
        }
        assertThat(ing.pushService().push("t", new PushRequest(List.of(new PushStream(streams.get(s), entries))))
            .get()).isEqualTo(PushOutcome.ok());
        counts[s] += 1000;
      }
    }
    assertThat(WalReplay.segmentBytes(config.walDir())).as("big enough for the prefetch")
        .isGreaterThanOrEqualTo(16L << 20);
    long prefetched = Head.prefetchedPageSlabs();
    try (Ingester ing = new Ingester(config, new PrometheusRegistry())) {
      ing.start();
      assertThat(Head.prefetchedPageSlabs()).as("blocks took slabs made ahead").isGreaterThan(prefetched);
      assertThat(Thread.getAllStackTraces().keySet()).as("the prefetch thread ends with the replay")
          .noneMatch(t -> t.getName().equals("lodge-page-prefetch"));
      for (int s = 0; s < streams.size(); s++) {
        List<String> lines = readLines(ing, "t", "big" + s, Direction.FORWARD);
        assertThat(lines).hasSize((int) counts[s]);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i);
          assertThat(line.substring(0, line.indexOf(' '))).as("stream %d line %d", s, i).isEqualTo(Long.toString(i));
        }
      }
    }
  }

  private static String randomText(Random rnd, int length) {
    char[] c = new char[length];
    for (int i = 0; i < length; i++) c[i] = (char) ('!' + rnd.nextInt(94));
    return new String(c);
  }

  @Test
  void tooFarBehindAndDuplicatesAreDecidedInWalOrder() throws Exception {
    LabelSet s = LabelSet.of("app", "order");
    try (Ingester ing = new Ingester(config(), new PrometheusRegistry())) {
      ing.start();
      long t = NOW - 60_000_000_000L;
      assertThat(ing.pushService().push("t", request(s, t, 1, "x")).get().status()).isEqualTo(204);
      // an identical entry is dropped silently
      assertThat(ing.pushService().push("t", request(s, t, 1, "x")).get().status()).isEqualTo(204);
      // older than highest - max_chunk_age/2 (1h) is refused with Loki's per-stream report
      PushOutcome old = ing.pushService().push("t", request(s, t - Duration.ofMinutes(61).toNanos(), 1, "old")).get();
      assertThat(old.status()).isEqualTo(400);
      assertThat(old.message()).contains("entry too far behind").contains("total ignored: 1 out of 1 for stream: {app=\"order\"}");
      assertThat(readLines(ing, "t", "order", Direction.FORWARD)).containsExactly("x line 0");
    }
    try (Ingester ing = new Ingester(config(), new PrometheusRegistry())) {
      ing.start();
      assertThat(readLines(ing, "t", "order", Direction.FORWARD)).containsExactly("x line 0");
    }
  }

  @Test
  void idleStreamsLeaveTheHeadEvenAfterAFullCut() throws Exception {
    LodgeConfig base = config();
    IngesterConfig i = base.ingester();
    // idle immediately: every flush cycle retires streams without new data
    IngesterConfig idle = new IngesterConfig(1024, 512, i.maxChunkAge(), Duration.ZERO, i.flushCheckPeriod(),
        i.chunkRetainPeriod(), i.wal(), i.maxHeadBytes(), i.concurrentFlushes(), i.lineDictionaries());
    LodgeConfig cfg = base.withIngester(idle);
    LabelSet s = LabelSet.of("app", "idle");
    try (Ingester ing = new Ingester(cfg, new PrometheusRegistry())) {
      ing.start();
      assertThat(ing.pushService().push("t", request(s, NOW - 1_000_000_000L, 100, "x")).get().status()).isEqualTo(204);
      assertThat(ing.head().streamCount()).isEqualTo(1);
      ing.flushAll();
      ing.flushAll();
      assertThat(ing.head().streamCount()).isZero();
      assertThat(ing.head().select("t", List.of(LabelMatcher.eq("app", "idle")))).isEmpty();
      assertThat(readLines(ing, "t", "idle", Direction.FORWARD)).hasSize(100);
      assertThat(ing.pushService().push("t", request(s, NOW, 1, "again")).get().status()).isEqualTo(204);
      assertThat(readLines(ing, "t", "idle", Direction.FORWARD)).hasSize(101);
    }
    try (Ingester ing = new Ingester(cfg, new PrometheusRegistry())) {
      ing.start();
      assertThat(readLines(ing, "t", "idle", Direction.FORWARD)).hasSize(101);
    }
  }

  @Test
  void theHeadStaysUnderItsMemoryBoundByFlushingTheLargestStreams() throws Exception {
    LodgeConfig base = config();
    IngesterConfig i = base.ingester();
    // big blocks and chunks, long periods: only the memory bound makes anything leave the head
    IngesterConfig bounded = new IngesterConfig(64L << 20, 1L << 20, i.maxChunkAge(), i.chunkIdlePeriod(),
        Duration.ofHours(1), i.chunkRetainPeriod(), i.wal(), 256 * 1024, i.concurrentFlushes(), i.lineDictionaries());
    LodgeConfig cfg = base.withIngester(bounded);
    List<String> expected = new ArrayList<>();
    try (Ingester ing = new Ingester(cfg, new PrometheusRegistry())) {
      ing.start();
      Random rnd = new Random(7);
      long maxSeen = 0;
      for (int batch = 0; batch < 40; batch++) {
        List<LogEntry> entries = new ArrayList<>();
        for (int k = 0; k < 50; k++) {
          String line = "b" + batch + " k" + k + " " + Long.toHexString(rnd.nextLong()).repeat(20);
          entries.add(LogEntry.of(NOW - 600_000_000_000L + batch * 1_000_000L + k, line));
          expected.add(line);
        }
        PushRequest r = new PushRequest(List.of(new PushStream(LabelSet.of("app", "mem" + (batch % 4)), entries)));
        // past twice the bound pushes get 503 until the flusher catches up; shippers retry them
        PushOutcome o = ing.pushService().push("t", r).get();
        for (int retry = 0; o.status() == 503 && retry < 200; retry++) {
          Thread.sleep(100);
          o = ing.pushService().push("t", r).get();
        }
        assertThat(o.status()).as(o.message()).isEqualTo(204);
        maxSeen = Math.max(maxSeen, ing.head().memoryBytes());
      }
      assertThat(maxSeen).as("the pushes exceed the bound").isGreaterThan(256 * 1024);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (ing.head().memoryBytes() > 256 * 1024 && System.nanoTime() < deadline) Thread.sleep(50);
      assertThat(ing.head().memoryBytes()).as("memory after the bound kicked in").isLessThanOrEqualTo(256 * 1024);
      // a cut stream's blocks count at their compressed size while the flusher is still writing the
      // chunk, so the bound can hold a moment before the chunk file exists
      while (chunkFiles().isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
      assertThat(chunkFiles()).isNotEmpty();
      List<String> all = new ArrayList<>();
      for (int s = 0; s < 4; s++) all.addAll(readLines(ing, "t", "mem" + s, Direction.FORWARD));
      assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void pushesOutrunningTheFlusherAre503dAtTwiceTheBoundAndNothingAcknowledgedIsLost() throws Exception {
    LodgeConfig base = config();
    IngesterConfig i = base.ingester();
    IngesterConfig bounded = new IngesterConfig(64L << 20, 1L << 20, i.maxChunkAge(), i.chunkIdlePeriod(),
        Duration.ofHours(1), i.chunkRetainPeriod(), i.wal(), 128 * 1024, i.concurrentFlushes(), i.lineDictionaries());
    // rate limits out of the way: only the head's bound may refuse
    LodgeConfig cfg = base.withIngester(bounded).withLimits(noRateLimits());
    List<String> acknowledged = new ArrayList<>();
    String refusal = null;
    try (Ingester ing = new Ingester(cfg, new PrometheusRegistry())) {
      ing.start();
      Random rnd = new Random(11);
      for (int batch = 0; batch < 400 && refusal == null; batch++) {
        List<LogEntry> entries = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int k = 0; k < 100; k++) {
          String line = "p" + batch + " k" + k + " " + Long.toHexString(rnd.nextLong()).repeat(60);
          entries.add(LogEntry.of(NOW - 600_000_000_000L + batch * 1_000_000L + k, line));
          lines.add(line);
        }
        PushRequest r = new PushRequest(List.of(new PushStream(LabelSet.of("app", "full" + (batch % 8)), entries)));
        PushOutcome o = ing.pushService().push("t", r).get();
        if (o.status() == 204) {
          acknowledged.addAll(lines);
        } else {
          assertThat(o.status()).as(o.message()).isEqualTo(503);
          refusal = o.message();
        }
      }
      assertThat(refusal).as("~100 KB pushes back to back outrun a flusher that looks once a second")
          .startsWith("the ingester holds ").endsWith("more than twice ingester.max_head_bytes (131072), while it flushes chunks; retry later");
      // the flusher catches up, and pushes are taken again
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      PushOutcome again;
      do {
        Thread.sleep(100);
        again = ing.pushService().push("t", request(LabelSet.of("app", "full0"), NOW, 1, "after")).get();
      } while (again.status() == 503 && System.nanoTime() < deadline);
      assertThat(again.status()).as(again.message()).isEqualTo(204);
      List<String> all = new ArrayList<>();
      for (int s = 0; s < 8; s++) all.addAll(readLines(ing, "t", "full" + s, Direction.FORWARD));
      all.removeIf(l -> l.startsWith("after"));
      assertThat(all).containsExactlyInAnyOrderElementsOf(acknowledged);
    }
  }

  private List<Path> chunkFiles() throws Exception {
    Path root = dir.resolve("data").resolve("chunks");
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void aChunkStoreThatCannotOpenFailsWithItsPathAndReleasesTheIndex() throws Exception {
    LodgeConfig cfg = config();
    Path chunks = cfg.pathPrefix().resolve("chunks");
    Files.createDirectories(cfg.pathPrefix());
    Files.writeString(chunks, "a file where the chunk directory belongs");
    assertThatThrownBy(() -> new Ingester(cfg, new PrometheusRegistry()))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining("cannot open the chunk store under " + cfg.pathPrefix());
    // the label index opened first was closed again: its write lock is free for the next attempt
    Files.delete(chunks);
    try (Ingester again = new Ingester(cfg, new PrometheusRegistry())) {
      again.start();
      assertThat(again.state().isReady()).isTrue();
    }
  }

  @Test
  void pushesSealInlineOnlyPastAQuarterOfTheHeadBoundWaitingForTheSealer() {
    long block = 256 << 10;
    // the default 512 MB head lets 128 MB wait (it was capped at 64 MB, 256 full blocks: pushes then
    // waited for zstd whenever the sealer fell a second behind at half the target rate)
    assertThat(Ingester.inlineSealRawBytes(512L << 20, block)).isEqualTo(128L << 20);
    assertThat(Ingester.inlineSealRawBytes(128L << 20, block)).isEqualTo(32L << 20);
    assertThat(Ingester.inlineSealRawBytes(0, block)).as("no head bound: 256 full blocks").isEqualTo(256 * block);
  }
}
