package io.lodge.ingester.read;

import io.lodge.ingester.Ingester;
import io.lodge.ingester.PushOutcome;
import io.lodge.ingester.chunk.BlockBuilder;
import io.lodge.ingester.chunk.BlockReader;
import io.lodge.ingester.chunk.EncodedBlock;
import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.lodge.ingester.testing.TestIngesters;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ReadHints#streamOrderOnly()} changes only the order across streams: every stream's entries come
 * in one contiguous run, and that run is exactly the stream's subsequence of the full time-ordered merge
 * (same entries, same order, same de-duplication), with the same processed-line counts. Checked on
 * merged blocks with colliding timestamps and copied entries, and on a real {@link Ingester} whose
 * streams sit in chunks, sealed head blocks and the unsealed tail, with entries pushed again after a
 * flush so that head and chunks both hold them.
 */
class StreamOrderReadTest {
  private static final long NOW = Instant.now().getEpochSecond() * 1_000_000_000L;
  private static final LabelSet[] STREAMS = {
      LabelSet.of("app", "a", "job", "j"), LabelSet.of("app", "b", "job", "j"), LabelSet.of("app", "c", "job", "j"),
      LabelSet.of("app", "d", "job", "j", "pod", "p1"), LabelSet.of("app", "d", "job", "j", "pod", "p2")};

  record Row(LabelSet labels, long ts, int length, String line, List<Label> metadata) {}

  /** The rows of a read and its processed-line counts at the end. */
  record Read(List<Row> rows, long scannedLines, long scannedBytes) {}

  @Property(tries = 200)
  void mergedBlocksInStreamOrderAreEachStreamsPartOfTheFullMerge(@ForAll long seed) {
    Random r = new Random(seed);
    List<List<Object[]>> sources = new ArrayList<>(); // entries {labels, ts, line, metadata}
    int nSources = 1 + r.nextInt(8);
    // disjoint: each source has a time span of its own (no merge needed), unless it copies another's entries
    boolean disjoint = r.nextBoolean();
    for (int s = 0; s < nSources; s++) {
      LabelSet labels = STREAMS[r.nextInt(STREAMS.length)];
      List<Object[]> entries = new ArrayList<>();
      long base = disjoint ? 25L * s : 0;
      for (int i = 1 + r.nextInt(20); i > 0; i--) entries.add(new Object[] {labels, base + r.nextInt(25), line(r), metadata(r)});
      for (List<Object[]> other : sources) {
        if (other.get(0)[0] != labels || (disjoint && r.nextInt(4) != 0)) continue;
        for (Object[] e : other) if (r.nextInt(3) == 0) entries.add(e); // a copy: replayed and flushed
      }
      entries.sort(Comparator.comparingLong(e -> (long) e[1]));
      sources.add(entries);
    }
    ReadHints hints = switch (r.nextInt(3)) {
      case 0 -> ReadHints.NONE;
      case 1 -> ReadHints.NONE.withoutLines();
      default -> ReadHints.requiring(List.of("error")).withoutLines();
    };
    Direction dir = r.nextBoolean() ? Direction.FORWARD : Direction.BACKWARD;
    long from = r.nextInt(disjoint ? 30 : 8), to = from + r.nextInt(disjoint ? 25 * nSources : 25);
    Read full = drain(new MergeIterator(lazy(sources, hints, from, to, dir), dir, scanner), hints);
    Read byStream = drain(StreamOrderIterator.of(lazy(sources, hints, from, to, dir), dir, scanner), hints);
    sameExceptStreamOrder(full, byStream, dir, true, true);
    Read batches = drainBatches(StreamOrderIterator.of(lazy(sources, hints, from, to, dir), dir, scanner, hints, from, to),
        hints, new int[1]);
    sameExceptStreamOrder(full, batches, dir, true, true);
  }

  @Property(tries = 12)
  void anIngesterReadsTheSameEntriesStreamByStream(@ForAll long seed) throws Exception {
    Random r = new Random(seed);
    Path dir = Files.createTempDirectory("stream-order");
    try (Ingester ing = new Ingester(TestIngesters.smallBlocks(dir, 16 * 1024, 1024), new PrometheusRegistry())) {
      ing.start();
      List<List<LogEntry>> pushed = new ArrayList<>();
      for (int s = 0; s < STREAMS.length; s++) pushed.add(new ArrayList<>());
      for (int round = 0; round < 3; round++) {
        List<PushStream> streams = new ArrayList<>();
        for (int s = 0; s < STREAMS.length; s++) {
          if (r.nextInt(4) == 0) continue;
          List<LogEntry> entries = new ArrayList<>();
          for (int i = r.nextInt(300); i > 0; i--) {
            // a few hundred distinct timestamps across all streams: equal ones within and across streams
            LogEntry e = LogEntry.of(NOW - 600 * 1_000_000_000L + r.nextInt(400) * 1_000_000L, line(r), metadata(r));
            entries.add(e);
          }
          // entries of earlier rounds again: after the flush they are both in a chunk and in the head
          for (LogEntry e : pushed.get(s)) if (r.nextInt(6) == 0) entries.add(e);
          if (entries.isEmpty()) continue;
          entries.sort(Comparator.comparingLong(LogEntry::timestampNanos));
          pushed.get(s).addAll(entries);
          streams.add(new PushStream(STREAMS[s], entries));
        }
        if (!streams.isEmpty()) { // a push without entries is refused (422), as Loki does
          PushOutcome o = ing.pushService().push("t", new PushRequest(streams)).get();
          assertThat(o.status()).as(o.toString()).isEqualTo(204);
        }
        if (round == 0 || (round == 1 && r.nextBoolean())) ing.flushAll();
      }
      for (int q = 0; q < 6; q++) {
        ReadHints hints = r.nextBoolean() ? ReadHints.NONE : ReadHints.NONE.withoutLines();
        Direction d = r.nextBoolean() ? Direction.FORWARD : Direction.BACKWARD;
        long from = NOW - 600 * 1_000_000_000L + r.nextInt(200) * 1_000_000L;
        long to = from + r.nextInt(400) * 1_000_000L;
        List<LabelMatcher> m = List.of(LabelMatcher.eq("job", "j"));
        SelectRequest req = new SelectRequest("t", m, from, to, d, hints);
        Read full = drain(ing.reader().select(req), hints);
        Read byStream = drain(ing.reader().select(req.withHints(hints.inStreamOrder())), hints);
        Read fullAgain = drain(ing.reader().select(req), hints);
        // a background flush between the reads puts entries in head and chunk for a moment: the same
        // rows, more lines examined; the counts are compared when the store stood still
        sameExceptStreamOrder(full, byStream, d, false, fullAgain.scannedLines() == full.scannedLines());
      }
    } finally {
      TestIngesters.deleteTree(dir);
    }
  }

  /**
   * {@link EntryIterator#nextBatch} of a stream-order read hands out the entries {@link EntryIterator#next}
   * does, with the same processed counts, on an {@link Ingester}: some streams are pushed in time order
   * round after round (chunks, sealed head blocks and the unsealed tail do not overlap: whole blocks are
   * handed out), others at random times or with entries of earlier rounds again after a flush (overlapping
   * pieces and duplicates in head and chunk: merged).
   */
  @Property(tries = 12)
  void anIngesterHandsOutTheSameEntriesInBatches(@ForAll long seed) throws Exception {
    Random r = new Random(seed);
    Path dir = Files.createTempDirectory("stream-batches");
    int blockViews = 0;
    try (Ingester ing = new Ingester(TestIngesters.smallBlocks(dir, 16 * 1024, 1024), new PrometheusRegistry())) {
      ing.start();
      // 0: in time order; 1: in time order, some rounds with entries of earlier ones again; 2: at random times
      int[] kind = new int[STREAMS.length];
      for (int s = 1; s < STREAMS.length; s++) kind[s] = r.nextInt(3);
      List<List<LogEntry>> pushed = new ArrayList<>();
      for (int s = 0; s < STREAMS.length; s++) pushed.add(new ArrayList<>());
      long t0 = NOW - 600 * 1_000_000_000L;
      for (int round = 0; round < 4; round++) {
        List<PushStream> streams = new ArrayList<>();
        for (int s = 0; s < STREAMS.length; s++) {
          List<LogEntry> entries = new ArrayList<>();
          for (int i = (s == 0 ? 50 : 0) + r.nextInt(200); i > 0; i--) {
            // in order: ns timestamps, so that two blocks rarely end and start at the same time (then merged)
            long ts = kind[s] < 2 ? t0 + round * 100_000_000L + r.nextInt(100_000_000) : t0 + r.nextInt(400) * 1_000_000L;
            entries.add(LogEntry.of(ts, line(r), metadata(r)));
          }
          if (kind[s] == 2 || (kind[s] == 1 && r.nextInt(3) == 0)) {
            for (LogEntry e : pushed.get(s)) if (r.nextInt(6) == 0) entries.add(e);
          }
          if (entries.isEmpty()) continue;
          entries.sort(Comparator.comparingLong(LogEntry::timestampNanos));
          pushed.get(s).addAll(entries);
          streams.add(new PushStream(STREAMS[s], entries));
        }
        PushOutcome o = ing.pushService().push("t", new PushRequest(streams)).get();
        assertThat(o.status()).as(o.toString()).isEqualTo(204);
        if (round < 3 && r.nextInt(3) != 0) ing.flushAll();
      }
      // the sealer takes full blocks in batches (up to 200 ms): let it seal the head's, as a read a moment
      // later would find them
      long sealDeadline = System.nanoTime() + 10_000_000_000L;
      while (ing.blocksAwaitingSeal() > 0 && System.nanoTime() < sealDeadline) Thread.sleep(10);
      for (int q = 0; q < 6; q++) {
        ReadHints hints = switch (r.nextInt(3)) {
          case 0 -> ReadHints.NONE;
          case 1 -> ReadHints.NONE.withoutLines();
          default -> ReadHints.NONE.withoutLines().withoutMetadata();
        };
        hints = hints.inStreamOrder();
        long from = t0 + r.nextInt(200) * 1_000_000L - 100_000_000L;
        long to = from + (q == 0 ? 600 : r.nextInt(500)) * 1_000_000L;
        SelectRequest req = new SelectRequest("t", List.of(LabelMatcher.eq("job", "j")), from, to, Direction.FORWARD, hints);
        Read entries = drain(ing.reader().select(req), hints);
        int[] views = new int[1];
        Read batches = drainBatches(ing.reader().select(req), hints, views);
        Read again = drain(ing.reader().select(req), hints);
        blockViews += views[0];
        ReadHints h = hints;
        if (!h.needMetadata()) {
          // the reader may leave metadata out of either read: compare without it
          entries = new Read(entries.rows().stream().map(StreamOrderReadTest::noMetadata).toList(), entries.scannedLines(), entries.scannedBytes());
          batches = new Read(batches.rows().stream().map(StreamOrderReadTest::noMetadata).toList(), batches.scannedLines(), batches.scannedBytes());
        }
        sameExceptStreamOrder(entries, batches, Direction.FORWARD, false, again.scannedLines() == entries.scannedLines());
      }
    } finally {
      TestIngesters.deleteTree(dir);
    }
    assertThat(blockViews).as("whole blocks handed out").isPositive();
  }

  private static Row noMetadata(Row row) {
    return new Row(row.labels(), row.ts(), row.length(), row.line(), List.of());
  }

  /**
   * Same rows per stream, each stream in one run and in time order, the same processed counts.
   * {@code exactOrder}: the rows of a stream also in the same order; a store's chunk gives all its blocks
   * one source order, so entries of equal timestamps on both sides of a block boundary come in the
   * order the heap happens to hold them, in either read.
   */
  private static void sameExceptStreamOrder(Read full, Read byStream, Direction dir, boolean exactOrder, boolean counts) {
    if (exactOrder) {
      assertThat(perStream(byStream.rows())).isEqualTo(perStream(full.rows()));
    } else {
      assertThat(sorted(perStream(byStream.rows()))).isEqualTo(sorted(perStream(full.rows())));
    }
    Set<LabelSet> finished = new HashSet<>();
    LabelSet current = null;
    for (Row row : byStream.rows()) {
      if (!row.labels().equals(current)) {
        assertThat(finished.add(row.labels())).as("stream %s comes in one run", row.labels()).isTrue();
        current = row.labels();
      }
    }
    for (Map.Entry<LabelSet, List<Row>> e : perStream(byStream.rows()).entrySet()) {
      long last = dir == Direction.FORWARD ? Long.MIN_VALUE : Long.MAX_VALUE;
      for (Row row : e.getValue()) {
        assertThat(dir == Direction.FORWARD ? row.ts() >= last : row.ts() <= last).as("time order").isTrue();
        last = row.ts();
      }
    }
    if (!counts) return;
    assertThat(byStream.scannedLines()).isEqualTo(full.scannedLines());
    assertThat(byStream.scannedBytes()).isEqualTo(full.scannedBytes());
  }

  private static Map<LabelSet, List<Row>> perStream(List<Row> rows) {
    Map<LabelSet, List<Row>> out = new LinkedHashMap<>();
    for (Row row : rows) out.computeIfAbsent(row.labels(), k -> new ArrayList<>()).add(row);
    // compared as maps: the order of the streams is what may differ
    return new java.util.TreeMap<>(out);
  }

  /** Each stream's rows as a multiset: sorted by every field. */
  private static Map<LabelSet, List<Row>> sorted(Map<LabelSet, List<Row>> rows) {
    Comparator<Row> c = Comparator.comparingLong(Row::ts).thenComparingInt(Row::length)
        .thenComparing(row -> String.valueOf(row.line())).thenComparing(row -> row.metadata().toString());
    Map<LabelSet, List<Row>> out = new java.util.TreeMap<>();
    rows.forEach((k, v) -> out.put(k, v.stream().sorted(c).toList()));
    return out;
  }

  private BlockScanner scanner;

  private List<EntrySource> lazy(List<List<Object[]>> sources, ReadHints hints, long from, long to, Direction dir) {
    boolean forward = dir == Direction.FORWARD;
    scanner = new BlockScanner(hints, from, to, forward);
    List<EntrySource> out = new ArrayList<>();
    for (int s = 0; s < sources.size(); s++) {
      BlockBuilder b = new BlockBuilder();
      for (Object[] e : sources.get(s)) {
        byte[] line = ((String) e[2]).getBytes(StandardCharsets.UTF_8);
        @SuppressWarnings("unchecked")
        List<Label> md = (List<Label>) e[3];
        b.append((long) e[1], line, 0, line.length, md);
      }
      EncodedBlock enc = b.encode();
      BlockReader br = BlockReader.open(enc.bytes(), 0, enc.bytes().length, "test");
      out.add(new LazySources.Block((LabelSet) sources.get(s).get(0)[0], s, br, scanner, forward));
    }
    return out;
  }

  private static Read drain(EntryIterator it, ReadHints hints) {
    List<Row> rows = new ArrayList<>();
    try (it) {
      while (it.next()) {
        String line = hints.needLines() ? new String(it.line(), StandardCharsets.UTF_8) : null;
        rows.add(new Row(it.labels(), it.timestampNanos(), it.lineLength(), line, List.copyOf(it.metadata())));
      }
      return new Read(rows, it.scannedLines(), it.scannedBytes());
    }
  }

  /**
   * A read through {@link EntryIterator#nextBatch}, flattened into rows; checks each batch's own
   * consistency on the way (line bytes, metadata labels) and counts the block views in {@code blockViews[0]}.
   */
  private static Read drainBatches(EntryIterator it, ReadHints hints, int[] blockViews) {
    List<Row> rows = new ArrayList<>();
    EntryBatch b = new EntryBatch();
    try (it) {
      while (it.nextBatch(b)) {
        assertThat(b.size()).isPositive();
        if (b.isBlockView()) blockViews[0]++;
        long total = b.lineBytes(); // before the lengths are decoded: a whole block's from its header
        List<Label> known = b.metadataLabels();
        int[] offs = b.lineOffsets();
        long sum = 0;
        for (int i = b.start(); i < b.end(); i++) {
          int len = offs[i + 1] - offs[i];
          sum += len;
          List<Label> md = b.metadata(i);
          if (known != null) assertThat(known).containsAll(md);
          String line = hints.needLines() ? new String(b.line(i), StandardCharsets.UTF_8) : null;
          rows.add(new Row(b.labels(), b.timestamps()[i], len, line, List.copyOf(md)));
        }
        assertThat(total).isEqualTo(sum);
      }
      return new Read(rows, it.scannedLines(), it.scannedBytes());
    }
  }

  private static String line(Random r) {
    return "line " + r.nextInt(40) + (r.nextBoolean() ? " error" : "");
  }

  private static List<Label> metadata(Random r) {
    return r.nextInt(4) == 0 ? List.of(new Label("trace", "t" + r.nextInt(3))) : List.of();
  }
}
