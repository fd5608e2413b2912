package io.lodge.ingester.head;

import io.lodge.ingester.model.LabelSet;
import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.chunk.BlockBuilder;
import io.lodge.ingester.chunk.ChunkBlockCodec;
import io.lodge.ingester.model.Label;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Sealing straight from an open block's columns ({@link ChunkBlockCodec#encode(String, LabelSet, BlockColumns)}: in place,
 * gathered from several pages, or sorted with one copy) writes byte for byte the block that appending
 * the stably sorted entries one by one to a {@link BlockBuilder} writes (itself checked against the old
 * encoder in {@code BlockEncodeOracleTest}). One codec is reused across blocks, as the sealer does.
 */
class BlockColumnsEncodeTest {
  private static final String[] WORDS = {"GET", "/api/v1/push", "status=200", "level=info", "caller=ingester.go:42",
      "duration=1.2ms", "user_id=7", "ERROR", "connection", "reset", "by", "peer", "ÄÖÜ-ütf8", "msg=\"done\""};
  private static final List<Label> INFO = List.of(new Label("detected_level", "info"));
  private static final List<Label> ERROR = List.of(new Label("detected_level", "error"), new Label("trace_id", "abc"));

  private record Entry(long ts, byte[] line, List<Label> metadata) {}

  private static byte[] line(Random rnd) {
    StringBuilder b = new StringBuilder();
    int kind = rnd.nextInt(200);
    int target = kind == 0 ? LinePages.MAX_PAGE + rnd.nextInt(LinePages.MAX_PAGE) : kind < 4 ? rnd.nextInt(20_000) : rnd.nextInt(250);
    while (b.length() < target) b.append(WORDS[rnd.nextInt(WORDS.length)]).append(rnd.nextBoolean() ? ' ' : '\t');
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Property(tries = 60)
  void encodingColumnsWritesTheBlockOfAppendingSortedEntries(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 6) int blocks, @ForAll @IntRange(min = 0, max = 2) int shape) {
    Random rnd = new Random(seed);
    ChunkBlockCodec codec = new ChunkBlockCodec(3);
    for (int b = 0; b < blocks; b++) {
      int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 40 : 3000);
      OpenBlock open = new OpenBlock();
      List<Entry> entries = new ArrayList<>();
      long t = 1_700_000_000_000_000_000L;
      for (int i = 0; i < n; i++) {
        long ts = switch (shape) {
          case 0 -> t += rnd.nextInt(3); // in order (ties allowed): encoded in place or gathered
          case 1 -> t + rnd.nextInt(1000); // unordered, with ties
          default -> i % 50 == 49 ? t - 5 : (t += 10); // in order but a few late entries
        };
        int m = rnd.nextInt(10);
        List<Label> md = m < 5 ? List.of() : m < 9 ? INFO : ERROR;
        byte[] line = line(rnd);
        open.append(ts, line, md, line.length, 1L << 18);
        entries.add(new Entry(ts, line, md));
      }
      List<Entry> sorted = new ArrayList<>(entries);
      sorted.sort(Comparator.comparingLong(Entry::ts)); // stable
      BlockBuilder builder = new BlockBuilder(3);
      for (Entry e : sorted) builder.append(e.ts(), e.line(), 0, e.line().length, e.metadata());
      byte[] want = builder.encode().bytes();

      SealedBlock got = codec.encode("t", LabelSet.of("app", "a"), open.columns());
      assertThat(got.bytes()).as("block %d: %d entries on %d pages, sorted=%s", b, n, open.pageCount(),
          open.columns().isSorted()).isEqualTo(want);
      assertThat(got.count()).isEqualTo(n);
      EntrySnapshot back = codec.decode(got);
      for (int i = 0; i < n; i++) {
        assertThat(back.timestamps()[i]).isEqualTo(sorted.get(i).ts());
        assertThat(back.lines()[i]).isEqualTo(sorted.get(i).line());
      }
    }
  }
}
