package io.lodge.ingester.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.Ingester;
import io.lodge.ingester.PushOutcome;
import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.lodge.ingester.testing.LoghubData;
import io.lodge.ingester.testing.TestIngesters;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole-word searches through a real {@link Ingester} (small blocks, most of the data flushed to chunks,
 * the rest in the head) give the oracle's lines every time they are repeated, while the reader prunes
 * cached chunks before the merge and blocks learn their exact token sets from the searches their token
 * filters misled: hundreds of absent tokens make the filters' false positives happen, and every present
 * word is searched before and after that learning.
 */
class NeedleReadTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = (Instant.now().getEpochSecond() - 3600) * SECOND;
  private static final String[] SYSTEMS = {"OpenSSH_2k.log", "HDFS_2k.log", "Apache_2k.log", "Linux_2k.log"};

  record Pushed(LabelSet labels, long ts, String line) {}

  @Test
  void repeatedWholeWordSearchesReturnTheOraclesLines(@TempDir Path dir) throws Exception {
    Random r = new Random(42);
    List<Pushed> all = new ArrayList<>();
    try (Ingester ing = new Ingester(TestIngesters.smallBlocks(dir, 32 * 1024, 2 * 1024), new PrometheusRegistry())) {
      ing.start();
      for (int round = 0; round < 2; round++) {
        List<PushStream> streams = new ArrayList<>();
        for (int s = 0; s < SYSTEMS.length; s++) {
          LabelSet labels = LabelSet.of("job", "j", "app", SYSTEMS[s]);
          List<String> src = LoghubData.lines(SYSTEMS[s]);
          List<LogEntry> entries = new ArrayList<>();
          for (int i = 0; i < 500; i++) {
            long ts = T0 + (round * 500L + i) * SECOND + s;
            String line = src.get(r.nextInt(src.size()));
            entries.add(LogEntry.of(ts, line, List.of()));
            all.add(new Pushed(labels, ts, line));
          }
          streams.add(new PushStream(labels, entries));
        }
        PushOutcome o = ing.pushService().push("t", new PushRequest(streams)).get();
        assertThat(o.status()).as(o.toString()).isEqualTo(204);
        if (round == 0) ing.flushAll(); // the second round stays in the head
      }
      StoreReader reader = (StoreReader) ing.reader();
      List<String> present = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        String[] words = all.get(r.nextInt(all.size())).line().split("[^A-Za-z0-9]+");
        if (words.length > 2) present.add(words[1 + r.nextInt(words.length - 2)]);
      }
      List<String> absent = new ArrayList<>();
      for (int i = 0; i < 300; i++) absent.add("zq" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36));
      // a read without literals loads every chunk into the cache and learns nothing
      try (EntryIterator it = reader.select(new SelectRequest("t", List.of(LabelMatcher.eq("job", "j")), T0,
          T0 + 2000 * SECOND, Direction.FORWARD, ReadHints.NONE))) {
        while (it.next()) it.line();
      }
      long before = reader.cacheStats()[0];
      for (String w : absent) check(reader, all, w);
      assertThat(reader.cacheStats()[0]).as("bytes of learned token sets in the cache").isGreaterThan(before);
      for (String w : present) check(reader, all, w);
      for (String w : absent) check(reader, all, w);
      for (String w : present) check(reader, all, w.toUpperCase(java.util.Locale.ROOT)); // case-sensitive
    }
  }

  private static void check(StoreReader reader, List<Pushed> all, String word) {
    String literal = " " + word + " ";
    long from = T0 + 100 * SECOND, to = T0 + 900 * SECOND;
    List<String> expected = new ArrayList<>();
    all.stream().filter(p -> p.ts() >= from && p.ts() < to && p.line().contains(literal))
        .sorted((a, b) -> Long.compare(a.ts(), b.ts()))
        .forEach(p -> expected.add(p.ts() + " " + p.line()));
    for (int run = 0; run < 2; run++) {
      SelectRequest req = new SelectRequest("t", List.of(LabelMatcher.eq("job", "j")), from, to, Direction.FORWARD,
          ReadHints.requiring(List.of(literal)));
      List<String> got = new ArrayList<>();
      try (EntryIterator it = reader.select(req)) {
        while (it.next()) {
          String line = new String(it.line(), StandardCharsets.UTF_8);
          if (line.contains(literal)) got.add(it.timestampNanos() + " " + line); // the caller's own filter
        }
      }
      assertThat(got).as("search for %s, run %d", literal, run).isEqualTo(expected);
    }
  }
}
