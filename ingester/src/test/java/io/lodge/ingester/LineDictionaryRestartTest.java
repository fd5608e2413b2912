package io.lodge.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.config.IngesterConfig;
import io.lodge.config.LineDictionaryConfig;
import io.lodge.config.LodgeConfig;
import io.lodge.ingester.chunk.BlockReader;
import io.lodge.ingester.chunk.ChunkPack;
import io.lodge.ingester.chunk.ChunkReader;
import io.lodge.ingester.chunk.LineDictionaries;
import io.lodge.ingester.chunk.LineDictionary;
import io.lodge.ingester.chunk.LineDictionaryObject;
import io.lodge.ingester.head.MemStream;
import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.lodge.ingester.read.Direction;
import io.lodge.ingester.read.EntryIterator;
import io.lodge.ingester.read.SelectRequest;
import io.lodge.ingester.testing.LoghubData;
import io.lodge.ingester.testing.TestIngesters;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Line dictionaries end to end on a real {@link Ingester}: loghub lines pushed for streams of two
 * services train a dictionary per service, later blocks and the chunks flushed from them use it (codec
 * 2), and after restarts every pushed line reads back, from chunks that need the stored dictionary and
 * from head blocks rebuilt from the WAL (sealed with the dictionary too once the tenant's scan ran).
 */
class LineDictionaryRestartTest {
  private static final long NOW = Instant.now().getEpochSecond() * 1_000_000_000L;
  private static final long BASE = NOW - Duration.ofMinutes(50).toNanos();
  private static final String TENANT = "t1";

  /** The streams, each with the loghub file its lines come from; the last has no service_name (group ""). */
  private static final Map<LabelSet, String> STREAMS = new LinkedHashMap<>();
  /** A stream of the sshd group pushed out of order within each request: its blocks are sorted when sealed. */
  private static final LabelSet SHUFFLED = LabelSet.of("service_name", "sshd", "host", "shuffled");

  static {
    STREAMS.put(LabelSet.of("service_name", "sshd", "host", "a"), "OpenSSH_2k.log");
    STREAMS.put(LabelSet.of("service_name", "sshd", "host", "b"), "OpenSSH_2k.log");
    STREAMS.put(LabelSet.of("service_name", "hdfs", "host", "a"), "HDFS_2k.log");
    STREAMS.put(LabelSet.of("app", "plain", "host", "a"), "Linux_2k.log");
    STREAMS.put(SHUFFLED, "OpenSSH_2k.log");
  }

  @TempDir Path dir;

  /** 8 KiB blocks, 64 KiB samples, 16 KiB dictionaries: a few hundred lines train one. */
  private LodgeConfig config() {
    LodgeConfig base = TestIngesters.smallBlocks(dir, 64 * 1024, 8 * 1024);
    IngesterConfig i = base.ingester();
    return base.withIngester(new IngesterConfig(i.chunkTargetSize(), i.chunkBlockSize(), i.maxChunkAge(),
        i.chunkIdlePeriod(), i.flushCheckPeriod(), i.chunkRetainPeriod(), i.wal(), i.maxHeadBytes(),
        i.concurrentFlushes(), new LineDictionaryConfig(true, "service_name", 16384, 65536, 8, false)));
  }

  /** What each stream should read back, in time order. */
  private final Map<LabelSet, List<String>> expected = new LinkedHashMap<>();
  private final Map<LabelSet, Long> nextTs = new LinkedHashMap<>();

  /** Pushes lines {@code [from, to)} of each stream's file, 100 per request, 1 ms apart (so read back in line order). */
  private void push(Ingester ing, int from, int to) throws Exception {
    for (Map.Entry<LabelSet, String> s : STREAMS.entrySet()) {
      List<String> lines = LoghubData.lines(s.getValue());
      for (int start = from; start < to; start += 100) {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = start; i < Math.min(to, start + 100); i++) {
          long ts = nextTs.merge(s.getKey(), 1_000_000L, Long::sum) + BASE;
          String line = lines.get(i % lines.size());
          entries.add(LogEntry.of(ts, line));
          expected.computeIfAbsent(s.getKey(), k -> new ArrayList<>()).add(line);
        }
        if (s.getKey().equals(SHUFFLED)) java.util.Collections.shuffle(entries, new java.util.Random(start));
        PushOutcome o = ing.pushService().push(TENANT, new PushRequest(List.of(new PushStream(s.getKey(), entries)))).get();
        assertThat(o.status()).as(o.message()).isEqualTo(204);
      }
    }
  }

  private static List<LabelMatcher> matchers(LabelSet labels) {
    List<LabelMatcher> m = new ArrayList<>();
    for (Label l : labels.labels()) m.add(LabelMatcher.eq(l.name(), l.value()));
    return m;
  }

  private static List<String> read(Ingester ing, LabelSet labels, Direction direction) {
    List<String> out = new ArrayList<>();
    try (EntryIterator it = ing.reader().select(new SelectRequest(TENANT, matchers(labels),
        NOW - Duration.ofHours(2).toNanos(), NOW + Duration.ofHours(1).toNanos(), direction))) {
      while (it.next()) out.add(new String(it.line(), java.nio.charset.StandardCharsets.UTF_8));
    }
    return out;
  }

  private void assertEverythingReads(Ingester ing, String when) {
    for (LabelSet s : STREAMS.keySet()) {
      assertThat(read(ing, s, Direction.FORWARD)).as("%s: %s", when, s).containsExactlyElementsOf(expected.get(s));
      assertThat(read(ing, s, Direction.BACKWARD)).as("%s, backward: %s", when, s)
          .containsExactlyElementsOf(expected.get(s).reversed());
    }
  }

  /** Waits (bounded) until every group has a dictionary; the head seals blocks, and so offers, in the background. */
  private static void awaitDictionaries(Ingester ing, String... groups) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      ing.dictionaries().awaitIdle(5, TimeUnit.SECONDS);
      boolean all = true;
      for (String g : groups) all &= ing.dictionaries().current(TENANT, g) != null;
      if (all) return;
      assertThat(System.nanoTime()).as("dictionaries for %s in time", List.of(groups)).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private Path objects() {
    return dir.resolve("data").resolve("chunks").resolve("objects");
  }

  /** Stored dictionary ids of the tenant, read from the objects on disk. */
  private Set<Long> storedDictionaries() throws Exception {
    Set<Long> ids = new HashSet<>();
    Path dicts = objects().resolve(TENANT).resolve("dicts");
    if (!Files.isDirectory(dicts)) return ids;
    try (Stream<Path> files = Files.list(dicts)) {
      for (Path p : files.toList()) {
        String key = TENANT + "/dicts/" + p.getFileName();
        ids.add(LineDictionaryObject.decode(Files.readAllBytes(p), key).dictionary().id());
      }
    }
    return ids;
  }

  /**
   * Counts of chunk blocks by lines codec, parsed from the chunk objects on disk (no dictionary needed); with
   * {@code stream}, only that stream's chunks.
   */
  private Map<Integer, Integer> chunkBlockCodecs(Set<Long> storedIds, LabelSet stream) throws Exception {
    Map<Integer, Integer> codecs = new LinkedHashMap<>();
    Path root = objects().resolve(TENANT).resolve("packs");
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        byte[] pack = Files.readAllBytes(p);
        for (ChunkPack.Entry e : ChunkPack.entries(pack, p.toString())) {
          byte[] chunk = Arrays.copyOfRange(pack, (int) e.offset(), (int) e.offset() + e.length());
          ChunkReader r = ChunkReader.open(chunk, p.toString(), LineDictionaries.NONE);
          if (stream != null && !r.header().labels().equals(stream)) continue;
          for (int i = 0; i < r.blockCount(); i++) {
            BlockReader b = r.readBlock(i);
            int codec = b.header().lines().codec();
            codecs.merge(codec, 1, Integer::sum);
            if (codec == 2) assertThat(storedIds).as("a chunk names a stored dictionary").contains(b.header().lines().dictionary());
          }
        }
      }
    }
    return codecs;
  }

  /** The head's compressed blocks of a stream, by lines codec. */
  private static Map<Integer, Integer> headBlockCodecs(Ingester ing, LabelSet labels) {
    Map<Integer, Integer> codecs = new LinkedHashMap<>();
    for (MemStream s : ing.head().select(TENANT, matchers(labels))) {
      for (SealedBlock b : s.snapshot(Long.MIN_VALUE, Long.MAX_VALUE).blocks()) {
        int codec = BlockReader.openTrusted(b.bytes(), 0, b.bytes().length, "head").header().lines().codec();
        codecs.merge(codec, 1, Integer::sum);
      }
    }
    return codecs;
  }

  @Test
  void chunksAndReplayedHeadBlocksUsingDictionariesReadBackAfterRestarts() throws Exception {
    LabelSet sshA = STREAMS.keySet().iterator().next();
    long sshId;
    // 1. train, use, flush, and leave more in the head and the WAL
    try (Ingester ing = new Ingester(config(), new PrometheusRegistry())) {
      // blocks become samples only once the tenant's stored dictionaries were looked for; the sealer may
      // take all of this push's blocks in one batch, so the scan is started (and done) first
      assertThat(ing.dictionaries().choose(TENANT, sshA)).isNull();
      ing.dictionaries().awaitIdle(10, TimeUnit.SECONDS);
      ing.start();
      push(ing, 0, 1000);
      awaitDictionaries(ing, "sshd", "hdfs", "");
      LineDictionary ssh = ing.dictionaries().current(TENANT, "sshd");
      sshId = ssh.id();
      assertThat(ing.dictionaries().current(TENANT, "hdfs").id()).isNotEqualTo(sshId);
      push(ing, 1000, 2000); // blocks sealed from now on use the dictionaries
      assertEverythingReads(ing, "before the flush");
      assertThat(ing.flushAll()).isEqualTo(STREAMS.size());
      assertEverythingReads(ing, "after the flush");
      push(ing, 0, 300);
      assertEverythingReads(ing, "after the flush and more pushes");
    }
    Set<Long> stored = storedDictionaries();
    assertThat(stored).hasSize(3).contains(sshId);
    Map<Integer, Integer> codecs = chunkBlockCodecs(stored, null);
    for (LabelSet s : STREAMS.keySet()) {
      Map<Integer, Integer> mine = chunkBlockCodecs(stored, s);
      assertThat(mine.getOrDefault(2, 0)).as("%s: chunk blocks by codec %s", s, mine).isPositive();
    }

    // 2. restart, the tenant's dictionaries known before the WAL replay: every line reads, and the
    // replayed head blocks are sealed with the stored dictionaries
    try (Ingester ing = new Ingester(config(), new PrometheusRegistry())) {
      assertThat(ing.dictionaries().choose(TENANT, sshA)).isNull(); // starts the tenant's scan
      ing.dictionaries().awaitIdle(10, TimeUnit.SECONDS);
      assertThat(ing.dictionaries().choose(TENANT, sshA)).isNotNull().extracting(LineDictionary::id).isEqualTo(sshId);
      ing.start();
      assertEverythingReads(ing, "after a restart");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (headBlockCodecs(ing, sshA).getOrDefault(2, 0) == 0 && System.nanoTime() < deadline) Thread.sleep(20);
      assertThat(headBlockCodecs(ing, sshA)).as("replayed head blocks").containsKey(2);
      assertEverythingReads(ing, "after a restart, replayed blocks sealed");
      push(ing, 300, 600);
      assertEverythingReads(ing, "after a restart and more pushes");
      assertThat(storedDictionaries()).as("no dictionary trained twice").isEqualTo(stored);
    }

    // 3. restart without looking first (the scan races the replay), flush what the WAL held, restart again
    try (Ingester ing = new Ingester(config(), new PrometheusRegistry())) {
      ing.start();
      assertEverythingReads(ing, "after a second restart");
      ing.flushAll();
      assertEverythingReads(ing, "after flushing the replayed data");
    }
    try (Ingester ing = new Ingester(config(), new PrometheusRegistry())) {
      ing.start();
      assertEverythingReads(ing, "after a third restart");
      // every group's chunks name its dictionary: reading them found all of them in the store
      assertThat(ing.dictionaries().size()).isEqualTo(stored.size());
    }
    assertThat(chunkBlockCodecs(storedDictionaries(), null).getOrDefault(2, 0)).isGreaterThan(codecs.get(2));
  }
}
