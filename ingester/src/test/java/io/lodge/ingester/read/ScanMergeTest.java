package io.lodge.ingester.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.chunk.BlockBuilder;
import io.lodge.ingester.chunk.BlockReader;
import io.lodge.ingester.chunk.EncodedBlock;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Blocks read through {@link BlockScanner} and merged by {@link MergeIterator}, with every combination
 * of read hints (required literals, lines skipped, metadata skipped), against an oracle that filters,
 * sorts and de-duplicates all entries naively. Timestamps collide often, and entries are copied between
 * sources of a stream, so the cross-source de-duplication is exercised with and without lines.
 */
class ScanMergeTest {
  private static final String[] WORDS = {"error", "INFO", "req=1f", "needle7", "e", "warn:", "x", "Error", "rr"};
  private static final String[] LITERALS = {"error", "rr", "needle7", "INFO", "req=", "zzz", "r w", "e e", "needle"};
  private static final LabelSet[] STREAMS = {LabelSet.of("app", "a"), LabelSet.of("app", "b"), LabelSet.of("app", "c")};

  record Entry(LabelSet labels, long ts, String line, List<Label> metadata, int order, int index) {}

  record Row(LabelSet labels, long ts, int length, String line, List<Label> metadata) {}

  @Property(tries = 300)
  void hintedMergeEqualsTheOracle(@ForAll long seed) {
    Random r = new Random(seed);
    // sources: each a sorted list of entries of one stream
    List<List<Entry>> sources = new ArrayList<>();
    int nSources = 1 + r.nextInt(6);
    for (int s = 0; s < nSources; s++) {
      LabelSet labels = STREAMS[r.nextInt(STREAMS.length)];
      List<Entry> entries = new ArrayList<>();
      int n = 1 + r.nextInt(25);
      for (int i = 0; i < n; i++) entries.add(new Entry(labels, r.nextInt(30), line(r), metadata(r), s, 0));
      // copies of entries of an earlier source of the same stream: what a replay and a flush both hold
      for (List<Entry> other : sources) {
        if (other.get(0).labels() != labels) continue;
        for (Entry e : other) if (r.nextInt(3) == 0) entries.add(new Entry(labels, e.ts(), e.line(), e.metadata(), s, 0));
      }
      entries.sort(Comparator.comparingLong(Entry::ts)); // stable: arrival order for equal timestamps
      List<Entry> indexed = new ArrayList<>();
      for (int i = 0; i < entries.size(); i++) {
        Entry e = entries.get(i);
        indexed.add(new Entry(e.labels(), e.ts(), e.line(), e.metadata(), s, i));
      }
      sources.add(indexed);
    }
    List<String> literals = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0; i--) literals.add(LITERALS[r.nextInt(LITERALS.length)]);
    ReadHints hints = ReadHints.requiring(literals);
    if (r.nextBoolean()) hints = hints.withoutLines();
    if (r.nextBoolean()) hints = hints.withoutMetadata();
    Direction dir = r.nextBoolean() ? Direction.FORWARD : Direction.BACKWARD;
    long from = r.nextInt(10), to = from + r.nextInt(30);

    assertThat(read(sources, hints, from, to, dir)).isEqualTo(oracle(sources, hints, from, to, dir));
  }

  @Test
  void aBlockTheTokenFilterRulesOutIsNotDecoded() {
    List<List<Entry>> sources = List.of(
        List.of(new Entry(STREAMS[0], 1, "plain line", List.of(), 0, 0)),
        List.of(new Entry(STREAMS[1], 2, "the needle7 is here", List.of(), 1, 0)));
    List<EntrySource> lazy = new ArrayList<>();
    BlockScanner scanner = new BlockScanner(ReadHints.requiring(List.of(" needle7 ")), 0, 10, true);
    for (List<Entry> s : sources) lazy.add(new LazySources.Block(s.get(0).labels(), lazy.size(), block(s), scanner, true));
    List<String> lines = new ArrayList<>();
    try (MergeIterator it = new MergeIterator(lazy, Direction.FORWARD)) {
      while (it.next()) lines.add(new String(it.line(), StandardCharsets.UTF_8));
    }
    assertThat(lines).containsExactly("the needle7 is here");
    assertThat(scanner.blocksSkipped()).isEqualTo(1);
    assertThat(scanner.blocksDecoded()).isEqualTo(1);
  }

  private static String line(Random r) {
    StringBuilder sb = new StringBuilder();
    for (int i = r.nextInt(5); i > 0; i--) {
      if (!sb.isEmpty()) sb.append(' ');
      sb.append(WORDS[r.nextInt(WORDS.length)]);
    }
    return sb.toString();
  }

  private static List<Label> metadata(Random r) {
    return r.nextInt(4) == 0 ? List.of(new Label("trace", "t" + r.nextInt(3))) : List.of();
  }

  private static BlockReader block(List<Entry> entries) {
    BlockBuilder b = new BlockBuilder();
    for (Entry e : entries) {
      byte[] line = e.line().getBytes(StandardCharsets.UTF_8);
      b.append(e.ts(), line, 0, line.length, e.metadata());
    }
    EncodedBlock enc = b.encode();
    return BlockReader.open(enc.bytes(), 0, enc.bytes().length, "test");
  }

  private static List<Row> read(List<List<Entry>> sources, ReadHints hints, long from, long to, Direction dir) {
    boolean forward = dir == Direction.FORWARD;
    BlockScanner scanner = new BlockScanner(hints, from, to, forward);
    List<EntrySource> lazy = new ArrayList<>();
    for (int s = 0; s < sources.size(); s++) {
      lazy.add(new LazySources.Block(sources.get(s).get(0).labels(), s, block(sources.get(s)), scanner, forward));
    }
    List<Row> out = new ArrayList<>();
    try (MergeIterator it = new MergeIterator(lazy, dir)) {
      while (it.next()) {
        String line = hints.needLines() || !hints.requiredLiterals().isEmpty()
            ? new String(it.line(), StandardCharsets.UTF_8) : null;
        if (!hints.needLines() && hints.requiredLiterals().isEmpty()) assertThat(it.line()).isEmpty();
        out.add(new Row(it.labels(), it.timestampNanos(), it.lineLength(), hints.needLines() ? line : null,
            hints.needMetadata() ? it.metadata() : null));
      }
    }
    return out;
  }

  private static List<Row> oracle(List<List<Entry>> sources, ReadHints hints, long from, long to, Direction dir) {
    boolean forward = dir == Direction.FORWARD;
    List<Entry> all = new ArrayList<>();
    for (List<Entry> s : sources) {
      for (Entry e : s) {
        if (e.ts() < from || e.ts() >= to) continue;
        boolean ok = true;
        for (byte[] lit : hints.requiredLiterals()) ok &= e.line().contains(new String(lit, StandardCharsets.UTF_8));
        if (ok) all.add(e);
      }
    }
    Comparator<Entry> byTs = Comparator.comparingLong(Entry::ts);
    Comparator<Entry> byIndex = Comparator.comparingInt(Entry::index);
    all.sort((forward ? byTs : byTs.reversed())
        .thenComparing(Entry::labels)
        .thenComparingInt(Entry::order)
        .thenComparing(forward ? byIndex : byIndex.reversed()));
    List<Row> out = new ArrayList<>();
    List<Entry> group = new ArrayList<>();
    for (Entry e : all) {
      if (!group.isEmpty() && (group.get(0).ts() != e.ts() || !group.get(0).labels().equals(e.labels()))) group.clear();
      boolean dup = false;
      for (Entry g : group) dup |= g.order() != e.order() && g.line().equals(e.line());
      if (dup) continue;
      group.add(e);
      out.add(new Row(e.labels(), e.ts(), e.line().getBytes(StandardCharsets.UTF_8).length,
          hints.needLines() ? e.line() : null, hints.needMetadata() ? e.metadata() : null));
    }
    return out;
  }
}
