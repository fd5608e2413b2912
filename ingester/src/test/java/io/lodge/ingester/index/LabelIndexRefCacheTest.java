package io.lodge.ingester.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.model.LabelSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LabelIndex#find} with its per-segment cache of decoded refs and ranks, queried between writes:
 * every answer equals the oracle (the live chunks in range, by stream then time then key), whatever was
 * added, deleted, re-added or committed since the previous query, and with two tenants whose chunks have
 * the same streams and times every ref answered belongs to the asking tenant.
 */
class LabelIndexRefCacheTest {
  @TempDir Path dir;

  private static final LabelSet[] STREAMS = {
      LabelSet.of("app", "web", "env", "prod"), LabelSet.of("app", "web", "env", "dev"), LabelSet.of("app", "api"),
      LabelSet.of("app", "db", "env", "a"), LabelSet.of("app", "web", "env", "prod", "pod", "p1")};
  private static final String[] TENANTS = {"t1", "t2"};

  private static final Comparator<ChunkRef> ORDER = Comparator.comparing(ChunkRef::labels)
      .thenComparingLong(ChunkRef::fromNanos).thenComparing(ChunkRef::key);

  @Test
  void cachedRefsFollowEveryWriteAndKeepTenantsApart() throws IOException {
    Random r = new Random(5);
    List<ChunkRef> live = new ArrayList<>();
    int next = 0;
    try (LabelIndex idx = new LabelIndex(dir.resolve("index"))) {
      for (int round = 0; round < 12; round++) {
        // a batch of new chunks (a new segment): each stream and time in both tenants, under other keys
        List<ChunkRef> batch = new ArrayList<>();
        for (int i = 1 + r.nextInt(6); i > 0; i--) {
          LabelSet s = STREAMS[r.nextInt(STREAMS.length)];
          long from = r.nextInt(1000), through = from + r.nextInt(200);
          int id = next++;
          for (String t : TENANTS) batch.add(new ChunkRef(t, s, from, through, t + "/" + id, 1 + id, 100 + id, 10 + id));
        }
        idx.add(batch);
        live.addAll(batch);
        if (r.nextInt(3) == 0 && !live.isEmpty()) {
          ChunkRef gone = live.remove(r.nextInt(live.size()));
          idx.delete(List.of(gone.key()));
        }
        if (r.nextInt(4) == 0 && !live.isEmpty()) {
          // re-adding a chunk (a re-flush after a crash) replaces its document by one in a new segment
          ChunkRef again = live.get(r.nextInt(live.size()));
          idx.add(List.of(again));
        }
        if (r.nextBoolean()) idx.commit();
        for (int q = 0; q < 4; q++) {
          long from = r.nextInt(1100), to = from + r.nextInt(600);
          List<LabelMatcher> m = r.nextBoolean() ? List.of(LabelMatcher.eq("app", "web"))
              : List.of(LabelMatcher.of(LabelMatcher.Type.RE, "app", ".+"));
          for (String t : TENANTS) {
            List<ChunkRef> expected = live.stream()
                .filter(c -> c.tenant().equals(t) && c.overlaps(from, to) && m.get(0).matches(c.labels().get("app")))
                .sorted(ORDER).toList();
            List<ChunkRef> got = idx.find(t, m, from, to);
            assertThat(got).as("round %d, tenant %s, %s [%d,%d)", round, t, m, from, to).isEqualTo(expected);
            assertThat(idx.find(t, m, from, to)).as("asked again").isEqualTo(expected);
            for (ChunkRef c : got) assertThat(c.tenant()).isEqualTo(t);
          }
        }
      }
    }
  }
}
