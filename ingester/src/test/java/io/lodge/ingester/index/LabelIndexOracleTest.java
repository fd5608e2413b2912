package io.lodge.ingester.index;

import static io.lodge.ingester.index.IndexArbitraries.matchesAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Checks every {@link LabelIndex} query against a brute-force oracle over the same chunks: random
 * streams in two tenants, chunks added in several batches (several segments) with some deleted, random
 * matchers of all four operators and random time ranges.
 */
class LabelIndexOracleTest {
  private static final List<String> TENANTS = List.of("t1", "t2");
  private Path root;

  @BeforeProperty
  void createRoot() throws IOException {
    root = Files.createTempDirectory("label-index-oracle");
  }

  @AfterProperty
  void deleteRoot() throws IOException {
    deleteRecursively(root);
  }

  /** Deletes a tree; tolerates files vanishing meanwhile (a try jqwik abandoned at its shrinking timeout). */
  static void deleteRecursively(Path dir) throws IOException {
    List<Path> paths;
    try (Stream<Path> s = Files.walk(dir)) {
      paths = s.sorted(Comparator.reverseOrder()).toList();
    } catch (java.io.UncheckedIOException e) {
      if (e.getCause() instanceof java.nio.file.NoSuchFileException) return;
      throw e;
    }
    for (Path p : paths) Files.deleteIfExists(p);
  }

  /** A random population of chunks (streams reused so several chunks share one stream). */
  record Population(List<ChunkRef> chunks, List<String> deleted) {}

  @Provide
  Arbitrary<Population> populations() {
    Arbitrary<List<LabelSet>> streams = IndexArbitraries.labelSets().list().ofMinSize(3).ofMaxSize(25);
    return Combinators.combine(streams, Arbitraries.longs(), Arbitraries.integers().between(20, 100))
        .as((ss, seed, n) -> {
          Random rnd = new Random(seed);
          List<ChunkRef> chunks = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            LabelSet ls = ss.get(rnd.nextInt(ss.size()));
            long from = rnd.nextInt(100);
            long through = from + rnd.nextInt(30);
            chunks.add(new ChunkRef(TENANTS.get(rnd.nextInt(2)), ls, from, through, "chunk-" + i,
                1 + rnd.nextInt(100), rnd.nextInt(10_000), rnd.nextInt(1_000)));
          }
          List<String> deleted = new ArrayList<>();
          for (ChunkRef c : chunks) if (rnd.nextInt(8) == 0) deleted.add(c.key());
          return new Population(chunks, deleted);
        });
  }

  @Provide
  Arbitrary<long[]> ranges() {
    return Combinators.combine(Arbitraries.longs().between(-10, 120).withDistribution(RandomDistribution.uniform()),
            Arbitraries.longs().between(0, 100).withDistribution(RandomDistribution.uniform()))
        .as((from, len) -> new long[] {from, from + len});
  }

  private static LabelIndex build(Path dir, Population pop) throws IOException {
    LabelIndex idx = new LabelIndex(dir);
    // Each add refreshes the searcher, so three batches give three segments; the deletes then hit
    // documents in flushed segments (live-docs filtering). No commit: fsync is slow and not under test.
    int n = pop.chunks().size();
    idx.add(pop.chunks().subList(0, n / 3));
    idx.add(pop.chunks().subList(n / 3, 2 * n / 3));
    idx.add(pop.chunks().subList(2 * n / 3, n));
    idx.delete(pop.deleted());
    return idx;
  }

  private static List<ChunkRef> live(Population pop, String tenant, long from, long to) {
    return pop.chunks().stream()
        .filter(c -> c.tenant().equals(tenant) && c.overlaps(from, to) && !pop.deleted().contains(c.key()))
        .toList();
  }

  /**
   * One index per try (opening Lucene dominates the cost), every query kind checked against it; then
   * the index is closed and reopened and must find the same chunks.
   */
  @Property(tries = 30)
  void everyQueryMatchesBruteForce(@ForAll("populations") Population pop, @ForAll("ranges") long[] range,
      @ForAll("selectorLists") List<List<LabelMatcher>> queries) throws IOException {
    Path dir = Files.createTempDirectory(root, "idx");
    try (LabelIndex idx = build(dir, pop)) {
      for (String tenant : TENANTS) {
        List<ChunkRef> inRange = live(pop, tenant, range[0], range[1]);
        List<List<LabelMatcher>> all = new ArrayList<>(queries);
        all.add(List.of());
        for (List<LabelMatcher> matchers : all) {
          checkFind(idx, pop, inRange, tenant, matchers, range);
          checkLabels(idx, inRange, tenant, matchers, range);
        }
        checkSeries(idx, inRange, tenant, queries, range);
      }
    }
    try (LabelIndex reopened = new LabelIndex(dir)) {
      for (String tenant : TENANTS) {
        List<ChunkRef> inRange = live(pop, tenant, range[0], range[1]);
        for (List<LabelMatcher> matchers : queries) checkFind(reopened, pop, inRange, tenant, matchers, range);
      }
    }
    // The oracle must be discriminating: a fair share of queries (5%, robust to unlucky seeds) select some but not all chunks in range.
    Statistics.label("find").coverage(c -> c.check("some").percentage(p -> p >= 5));
  }

  private static void checkFind(LabelIndex idx, Population pop, List<ChunkRef> inRange, String tenant,
      List<LabelMatcher> matchers, long[] range) {
    List<String> expected = inRange.stream()
        .filter(c -> matchesAll(matchers, c.labels())).map(ChunkRef::key).sorted().toList();
    List<ChunkRef> got = idx.find(tenant, matchers, range[0], range[1]);
    if (!matchers.isEmpty()) Statistics.label("find").collect(inRange.isEmpty() ? "no chunk in range"
        : expected.isEmpty() ? "none" : expected.size() == inRange.size() ? "all" : "some");
    assertThat(got.stream().map(ChunkRef::key).sorted().toList())
        .as("find %s %s [%d,%d)", tenant, matchers, range[0], range[1]).isEqualTo(expected);
    for (ChunkRef c : got) assertThat(pop.chunks()).contains(c); // every field round-trips
  }

  private static void checkLabels(LabelIndex idx, List<ChunkRef> inRange, String tenant,
      List<LabelMatcher> matchers, long[] range) {
    List<LabelSet> streams = inRange.stream().map(ChunkRef::labels).filter(ls -> matchesAll(matchers, ls)).toList();
    TreeSet<String> names = new TreeSet<>();
    for (LabelSet ls : streams) for (Label l : ls.labels()) if (!l.value().isEmpty()) names.add(l.name());
    assertThat(idx.labelNames(tenant, range[0], range[1], matchers)).as("names %s %s", tenant, matchers)
        .containsExactlyElementsOf(names);
    for (String name : List.of("app", "env", "nope")) {
      TreeSet<String> values = new TreeSet<>();
      for (LabelSet ls : streams) {
        String v = ls.get(name);
        if (v != null && !v.isEmpty()) values.add(v);
      }
      assertThat(idx.labelValues(tenant, name, range[0], range[1], matchers))
          .as("values of %s %s %s", name, tenant, matchers).containsExactlyElementsOf(values);
    }
  }

  private static void checkSeries(LabelIndex idx, List<ChunkRef> inRange, String tenant,
      List<List<LabelMatcher>> selectors, long[] range) {
    TreeSet<LabelSet> expected = new TreeSet<>();
    for (ChunkRef c : inRange) {
      if (selectors.isEmpty() || selectors.stream().anyMatch(s -> matchesAll(s, c.labels()))) expected.add(c.labels());
    }
    assertThat(idx.series(tenant, selectors, range[0], range[1])).as("series %s %s", tenant, selectors)
        .containsExactlyElementsOf(expected);
  }

  @Provide
  Arbitrary<List<List<LabelMatcher>>> selectorLists() {
    return IndexArbitraries.selectors().list().ofMinSize(0).ofMaxSize(4);
  }
}
