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
    for (int s = 0; s < nSources; s++) {
      LabelSet labels = STREAMS[r.nextInt(STREAMS.length)];
      List<Object[]> entries = new ArrayList<>();
      for (int i = 1 + r.nextInt(20); i > 0; i--) entries.add(new Object[] {labels, (long) r.nextInt(25), line(r), metadata(r)});
      for (List<Object[]> other : sources) {
        if (other.get(0)[0] != labels) continue;
        for (Object[] e : other) if (r.nextInt(3) == 0) entries.add(e); // a copy: replayed and flushed
      }
      entries.sort(Comparator.comparingLong(e -> (long) e[1]));
      sources.add(entries);
    }
    ReadHints hints = r.nextBoolean() ? ReadHints.NONE : ReadHints.NONE.withoutLines();
    Direction dir = r.nextBoolean() ? Direction.FORWARD : Direction.BACKWARD;
    long from = r.nextInt(8), to = from + r.nextInt(25);
    Read full = drain(new MergeIterator(lazy(sources, hints, from, to, dir), dir, scanner), hints);
    Read byStream = drain(StreamOrderIterator.of(lazy(sources, hints, from, to, dir), dir, scanner), hints);
    sameExceptStreamOrder(full, byStream, dir, true, true);
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
          entries.sort(Comparator.comparingLong(LogEntry::timestampNanos));
          pushed.get(s).addAll(entries);
          streams.add(new PushStream(STREAMS[s], entries));
        }
        PushOutcome o = ing.pushService().push("t", new PushRequest(streams)).get();
        assertThat(o.status()).as(o.toString()).isEqualTo(204);
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

  private static String line(Random r) {
    return "line " + r.nextInt(40) + (r.nextBoolean() ? " error" : "");
  }

  private static List<Label> metadata(Random r) {
    return r.nextInt(4) == 0 ? List.of(new Label("trace", "t" + r.nextInt(3))) : List.of();
  }
}
