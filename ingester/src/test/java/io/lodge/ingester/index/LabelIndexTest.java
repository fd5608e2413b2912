package io.lodge.ingester.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.ingester.index.LabelMatcher.Type;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.read.IndexStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.store.LockObtainFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelIndexTest {
  @TempDir Path dir;

  private static final LabelSet WEB_PROD = LabelSet.of("app", "web", "env", "prod");
  private static final LabelSet WEB_DEV = LabelSet.of("app", "web", "env", "dev");
  private static final LabelSet API = LabelSet.of("app", "api");
  private static final LabelSet DB_A = LabelSet.of("app", "db", "env", "a");

  private static ChunkRef chunk(String tenant, LabelSet labels, long from, long through, String key) {
    return new ChunkRef(tenant, labels, from, through, key, 10, 1000, 100);
  }

  private static List<String> keys(List<ChunkRef> refs) {
    return refs.stream().map(ChunkRef::key).toList();
  }

  private LabelIndex populated() throws IOException {
    LabelIndex idx = new LabelIndex(dir.resolve("index"));
    idx.add(List.of(
        chunk("t", WEB_PROD, 0, 99, "wp1"), chunk("t", WEB_PROD, 100, 199, "wp2"),
        chunk("t", WEB_DEV, 50, 150, "wd"), chunk("t", API, 0, 10, "api"), chunk("t", DB_A, 20, 30, "db")));
    return idx;
  }

  @Test
  void absentLabelMatchesAsEmpty() throws IOException {
    try (LabelIndex idx = populated()) {
      long all = Long.MAX_VALUE;
      // env!="prod" includes the api stream, which has no env at all.
      assertThat(keys(idx.find("t", List.of(LabelMatcher.of(Type.NEQ, "env", "prod")), 0, all)))
          .containsExactly("api", "db", "wd");
      // env=~"a|" is env=a or no env.
      assertThat(keys(idx.find("t", List.of(LabelMatcher.of(Type.RE, "env", "a|")), 0, all)))
          .containsExactly("api", "db");
      assertThat(keys(idx.find("t", List.of(LabelMatcher.eq("env", "")), 0, all))).containsExactly("api");
      assertThat(keys(idx.find("t", List.of(LabelMatcher.of(Type.NEQ, "env", "")), 0, all)))
          .containsExactly("db", "wd", "wp1", "wp2");
      assertThat(keys(idx.find("t", List.of(LabelMatcher.of(Type.RE, "env", ".+")), 0, all)))
          .containsExactly("db", "wd", "wp1", "wp2");
      assertThat(keys(idx.find("t", List.of(LabelMatcher.of(Type.NRE, "env", "p.*")), 0, all)))
          .containsExactly("api", "db", "wd");
    }
  }

  @Test
  void regexesAreRe2NotLuceneSyntax() throws IOException {
    try (LabelIndex idx = new LabelIndex(dir)) {
      idx.add(List.of(chunk("t", LabelSet.of("pod", "web-12"), 0, 1, "a"), chunk("t", LabelSet.of("pod", "WEB-x"), 0, 1, "b"),
          chunk("t", LabelSet.of("pod", "w<1>"), 0, 1, "c")));
      assertThat(keys(idx.find("t", List.of(LabelMatcher.of(Type.RE, "pod", "web-\\d+")), 0, 2))).containsExactly("a");
      assertThat(keys(idx.find("t", List.of(LabelMatcher.of(Type.RE, "pod", "(?i)web-.*")), 0, 2)))
          .containsExactly("b", "a");
      // '<' and '>' are literals in RE2 but numeric ranges in Lucene's RegexpQuery.
      assertThat(keys(idx.find("t", List.of(LabelMatcher.of(Type.RE, "pod", "w<1>")), 0, 2))).containsExactly("c");
      // Anchored: a partial match is no match.
      assertThat(idx.find("t", List.of(LabelMatcher.of(Type.RE, "pod", "web")), 0, 2)).isEmpty();
    }
  }

  @Test
  void timeRangeIsInclusiveFromExclusiveTo() throws IOException {
    try (LabelIndex idx = populated()) {
      List<LabelMatcher> web = List.of(LabelMatcher.eq("app", "web"), LabelMatcher.eq("env", "prod"));
      assertThat(keys(idx.find("t", web, 0, 100))).containsExactly("wp1");
      assertThat(keys(idx.find("t", web, 0, 101))).containsExactly("wp1", "wp2");
      assertThat(keys(idx.find("t", web, 99, 100))).containsExactly("wp1");
      assertThat(keys(idx.find("t", web, 100, 100))).isEmpty(); // an empty range holds nothing
      assertThat(keys(idx.find("t", web, 200, 300))).isEmpty();
      assertThat(keys(idx.find("t", web, Long.MIN_VALUE, Long.MIN_VALUE))).isEmpty();
      assertThat(idx.labelValues("t", "app", 0, 11, List.of())).containsExactly("api", "web");
      assertThat(idx.labelValues("t", "app", 11, 20, List.of())).containsExactly("web");
      assertThat(idx.series("t", List.of(), 151, 152)).containsExactly(WEB_PROD);
    }
  }

  @Test
  void findReturnsEveryFieldSortedByStreamThenTime() throws IOException {
    try (LabelIndex idx = new LabelIndex(dir)) {
      ChunkRef late = new ChunkRef("t", WEB_PROD, 500, 600, "late", 7, 70, 7);
      ChunkRef early = new ChunkRef("t", WEB_PROD, 100, 200, "early", 3, 30, 3);
      ChunkRef other = new ChunkRef("t", API, 0, Long.MAX_VALUE, "api", Long.MAX_VALUE, 0, 1);
      idx.add(List.of(late, other, early));
      assertThat(idx.find("t", List.of(), Long.MIN_VALUE, Long.MAX_VALUE)).containsExactly(other, early, late);
      assertThat(idx.stats("t", List.of(LabelMatcher.eq("app", "web")), 0, 1000))
          .isEqualTo(new IndexStats(1, 2, 100, 10));
    }
  }

  @Test
  void tenantsAreIsolated() throws IOException {
    try (LabelIndex idx = new LabelIndex(dir)) {
      idx.add(List.of(chunk("a", WEB_PROD, 0, 10, "a1"), chunk("b", API, 0, 10, "b1"),
          chunk("b", LabelSet.of("secret", "x"), 0, 10, "b2")));
      assertThat(keys(idx.find("a", List.of(), 0, 100))).containsExactly("a1");
      assertThat(keys(idx.find("a", List.of(LabelMatcher.of(Type.RE, "app", ".*")), 0, 100))).containsExactly("a1");
      assertThat(idx.find("a", List.of(LabelMatcher.eq("app", "api")), 0, 100)).isEmpty();
      assertThat(idx.labelNames("a", 0, 100, List.of())).containsExactly("app", "env");
      assertThat(idx.labelValues("a", "app", 0, 100, List.of())).containsExactly("web");
      assertThat(idx.labelValues("a", "secret", 0, 100, List.of())).isEmpty();
      assertThat(idx.series("a", List.of(), 0, 100)).containsExactly(WEB_PROD);
      assertThat(idx.series("c", List.of(), 0, 100)).isEmpty();
      assertThat(idx.labelNames("b", 0, 100, List.of())).containsExactly("app", "secret");
    }
  }

  @Test
  void labelQueriesHonourMatchers() throws IOException {
    try (LabelIndex idx = populated()) {
      assertThat(idx.labelNames("t", 0, 1000, List.of(LabelMatcher.eq("app", "api")))).containsExactly("app");
      assertThat(idx.labelValues("t", "env", 0, 1000, List.of(LabelMatcher.eq("app", "web"))))
          .containsExactly("dev", "prod");
      assertThat(idx.series("t", List.of(List.of(LabelMatcher.eq("app", "api")), List.of(LabelMatcher.eq("env", "a"))),
          0, 1000)).containsExactly(API, DB_A);
      assertThat(idx.series("t", List.of(List.of()), 0, 1000)).hasSize(4);
    }
  }

  @Test
  void addIsIdempotentPerKeyAndDeleteRemoves() throws IOException {
    try (LabelIndex idx = populated()) {
      idx.add(List.of(chunk("t", API, 0, 10, "api"), chunk("t", API, 300, 310, "api")));
      assertThat(idx.find("t", List.of(LabelMatcher.eq("app", "api")), 0, 1000))
          .singleElement().extracting(ChunkRef::fromNanos).isEqualTo(300L);
      idx.delete(List.of("api", "wd", "no-such-key"));
      assertThat(keys(idx.find("t", List.of(), 0, 1000))).containsExactly("db", "wp1", "wp2");
      assertThat(idx.labelValues("t", "env", 0, 1000, List.of())).containsExactly("a", "prod");
      assertThat(idx.chunkCount()).isEqualTo(3);
    }
  }

  @Test
  void chunksInAPackKeepTheirObjectAndOffsetAcrossReopen() throws IOException {
    Path p = dir.resolve("index");
    ChunkRef first = new ChunkRef("t", WEB_PROD, 0, 99, "wp1", 10, 1000, 100, "t/packs/p1", 0);
    ChunkRef second = new ChunkRef("t", API, 0, 99, "api", 10, 1000, 250, "t/packs/p1", 100);
    ChunkRef alone = new ChunkRef("t", WEB_DEV, 0, 99, "wd", 10, 1000, 80);
    try (LabelIndex idx = new LabelIndex(p)) {
      idx.add(List.of(first, second, alone));
      idx.commit(Map.of());
      assertThat(idx.find("t", List.of(), 0, 1000)).containsExactly(second, alone, first);
    }
    try (LabelIndex idx = new LabelIndex(p)) {
      assertThat(idx.find("t", List.of(), 0, 1000)).containsExactly(second, alone, first);
    }
  }

  @Test
  void namesObjectAnswersForEverySegmentAndAcrossReopen() throws IOException {
    Path p = dir.resolve("index");
    try (LabelIndex idx = new LabelIndex(p)) {
      assertThat(idx.namesObject("t/packs/p1")).isFalse();
      idx.add(List.of(new ChunkRef("t", WEB_PROD, 0, 99, "wp1", 10, 1000, 100, "t/packs/p1", 0)));
      idx.commit(Map.of());
      idx.add(List.of(new ChunkRef("u", API, 0, 99, "api", 10, 1000, 250, "u/packs/p2", 100)));
      assertThat(idx.namesObject("t/packs/p1")).isTrue();
      assertThat(idx.namesObject("u/packs/p2")).as("added, not yet committed").isTrue();
      assertThat(idx.namesObject("t/packs/p")).isFalse();
      assertThat(idx.namesObject("t/packs/p10")).isFalse();
      idx.commit(Map.of());
    }
    try (LabelIndex idx = new LabelIndex(p)) {
      assertThat(idx.namesObject("t/packs/p1")).isTrue();
      assertThat(idx.namesObject("u/packs/p2")).isTrue();
      assertThat(idx.namesObject("v/packs/p3")).isFalse();
    }
  }

  @Test
  void documentsWrittenBeforePacksNameTheirChunkAsTheWholeObject() throws IOException {
    Path p = dir.resolve("index");
    ChunkRef old = new ChunkRef("t", WEB_PROD, 0, 99, "t/chunks/0000/old", 10, 1000, 100);
    // a document as written before packs: without the object and offset fields
    try (org.apache.lucene.store.Directory d = org.apache.lucene.store.FSDirectory.open(p);
        org.apache.lucene.index.IndexWriter w = new org.apache.lucene.index.IndexWriter(d,
            new org.apache.lucene.index.IndexWriterConfig())) {
      org.apache.lucene.document.Document doc = ChunkDocument.of(old);
      doc.removeFields(ChunkDocument.OBJECT);
      doc.removeFields(ChunkDocument.OFFSET);
      w.addDocument(doc);
      w.commit();
    }
    try (LabelIndex idx = new LabelIndex(p)) {
      idx.add(List.of(new ChunkRef("t", API, 0, 99, "api", 10, 1000, 250, "t/packs/p1", 100)));
      List<ChunkRef> found = idx.find("t", List.of(LabelMatcher.eq("app", "web")), 0, 1000);
      assertThat(found).containsExactly(old);
      assertThat(found.get(0).object()).isEqualTo("t/chunks/0000/old");
      assertThat(found.get(0).offset()).isZero();
    }
  }

  @Test
  void aRefWithoutAnObjectOrWithANegativeOffsetIsRefused() throws IOException {
    try (LabelIndex idx = new LabelIndex(dir)) {
      assertThatThrownBy(() -> idx.add(List.of(new ChunkRef("t", API, 0, 1, "k", 1, 1, 1, "", 0))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunk k: needs an object");
      assertThatThrownBy(() -> idx.add(List.of(new ChunkRef("t", API, 0, 1, "k", 1, 1, 1, "t/packs/p", -1))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset >= 0");
      assertThat(idx.find("t", List.of(), Long.MIN_VALUE, Long.MAX_VALUE)).isEmpty();
    }
  }

  @Test
  void committedDataSurvivesReopen() throws IOException {
    Path p = dir.resolve("index");
    try (LabelIndex idx = populated()) {
      idx.delete(List.of("db"));
      idx.commit(Map.of("wal", "segment-7:4096"));
    }
    try (LabelIndex idx = new LabelIndex(p)) {
      assertThat(keys(idx.find("t", List.of(), 0, 1000))).containsExactly("api", "wd", "wp1", "wp2");
      assertThat(idx.labelValues("t", "app", 0, 1000, List.of())).containsExactly("api", "web");
      assertThat(idx.committedUserData()).containsEntry("wal", "segment-7:4096");
    }
  }

  @Test
  void uncommittedChangesAreLostInACrashCommittedOnesAreNot() throws IOException {
    Path p = dir.resolve("index");
    LabelIndex idx = new LabelIndex(p);
    idx.add(List.of(chunk("t", API, 0, 10, "kept")));
    idx.commit(Map.of("wal", "1"));
    idx.add(List.of(chunk("t", API, 20, 30, "lost")));
    idx.delete(List.of("kept"));
    assertThat(keys(idx.find("t", List.of(), 0, 100))).containsExactly("lost");
    idx.abandon();
    try (LabelIndex reopened = new LabelIndex(p)) {
      assertThat(keys(reopened.find("t", List.of(), 0, 100))).containsExactly("kept");
      assertThat(reopened.committedUserData()).isEqualTo(Map.of("wal", "1"));
    }
  }

  /** Readers run while a writer adds and deletes: no reader throws, and counts only move as written. */
  @Test
  void readersDuringWritesSeeConsistentSnapshots() throws Exception {
    try (LabelIndex idx = new LabelIndex(dir)) {
      AtomicBoolean done = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        Thread t = new Thread(() -> {
          try {
            int last = 0;
            while (!done.get()) {
              int web = idx.find("t", List.of(LabelMatcher.of(Type.RE, "app", "w.*")), 0, Long.MAX_VALUE).size();
              int total = idx.series("t", List.of(), 0, Long.MAX_VALUE).size();
              if (web < last) throw new AssertionError("web chunks went from " + last + " to " + web);
              if (total > 3) throw new AssertionError("more streams than written: " + total);
              last = web;
              idx.labelValues("t", "env", 0, Long.MAX_VALUE, List.of(LabelMatcher.of(Type.NEQ, "app", "api")));
              Thread.sleep(1); // on a busy machine, spinning readers would starve the writer
            }
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        });
        t.start();
        readers.add(t);
      }
      for (int i = 0; i < 40 && failure.get() == null; i++) {
        idx.add(List.of(chunk("t", WEB_PROD, i, i, "p" + i), chunk("t", WEB_DEV, i, i, "d" + i),
            chunk("t", API, i, i, "a" + i)));
        if (i % 10 == 9) idx.delete(List.of("a" + i));
        if (i % 20 == 19) idx.commit();
      }
      done.set(true);
      for (Thread t : readers) t.join();
      assertThat(failure.get()).isNull();
      assertThat(idx.chunkCount()).isEqualTo(3 * 40 - 4);
    }
  }

  @Test
  void newIndexHasNoCommitData() throws IOException {
    try (LabelIndex idx = new LabelIndex(dir.resolve("fresh"))) {
      assertThat(idx.committedUserData()).isEmpty();
      assertThat(idx.find("t", List.of(), 0, 10)).isEmpty();
      assertThat(idx.labelNames("t", 0, 10, List.of())).isEmpty();
    }
  }

  @Test
  void aSecondWriterIsRefused() throws IOException {
    try (LabelIndex idx = new LabelIndex(dir)) {
      assertThatThrownBy(() -> new LabelIndex(dir)).isInstanceOf(LockObtainFailedException.class);
      idx.add(List.of(chunk("t", API, 0, 1, "k")));
      assertThat(idx.chunkCount()).isEqualTo(1);
    }
  }

  @Test
  void brokenRefsAreRejected() throws IOException {
    try (LabelIndex idx = new LabelIndex(dir)) {
      assertThatThrownBy(() -> idx.add(List.of(chunk("", API, 0, 1, "k")))).hasMessageContaining("tenant");
      assertThatThrownBy(() -> idx.add(List.of(chunk("t", API, 5, 1, "k")))).hasMessageContaining("after through");
      assertThatThrownBy(() -> idx.add(List.of(chunk("t", API, 0, 1, "")))).hasMessageContaining("key");
      LabelSet huge = LabelSet.of("app", "é".repeat(20_000));
      assertThatThrownBy(() -> idx.add(List.of(chunk("t", API, 0, 1, "ok"), chunk("t", huge, 0, 1, "big"))))
          .hasMessageContaining("longer than");
      assertThat(idx.chunkCount()).as("a rejected batch adds nothing").isZero();
    }
  }

  @Test
  void labelsRoundTripThroughTheDocument() {
    LabelSet odd = LabelSet.of("a", "", "b", "é\"\n", "c", "x".repeat(300));
    assertThat(ChunkDocument.decode(ChunkDocument.encode(odd))).isEqualTo(odd);
    assertThat(ChunkDocument.decode(ChunkDocument.encode(LabelSet.EMPTY))).isEqualTo(LabelSet.EMPTY);
  }
}
