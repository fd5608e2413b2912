package io.lodge.ingester.index;

import static io.lodge.ingester.index.IndexArbitraries.matchesAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.index.LabelMatcher.Type;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.From;
import net.jqwik.api.Provide;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

class HeadIndexTest {
  /** A stand-in for the head's stream object: identity matters, two streams may share labels' hash. */
  record Stream(int id, LabelSet labels) {}

  private static final List<String> TENANTS = List.of("t1", "t2");

  /**
   * Adds random streams, removes some, then checks select, labelNames and labelValues against brute
   * force over the streams that are still in.
   */
  @Property(tries = 200)
  void selectMatchesBruteForce(@ForAll @Size(max = 60) List<@From("labels") LabelSet> labels,
      @ForAll long seed, @ForAll @Size(max = 6) List<@From("selectors") List<LabelMatcher>> queries) {
    Random rnd = new Random(seed);
    HeadIndex<Stream> idx = new HeadIndex<>();
    Map<String, List<Stream>> live = new HashMap<>();
    for (String t : TENANTS) live.put(t, new ArrayList<>());
    for (int i = 0; i < labels.size(); i++) {
      String tenant = TENANTS.get(rnd.nextInt(2));
      Stream s = new Stream(i, labels.get(i));
      idx.add(tenant, s.labels(), s);
      live.get(tenant).add(s);
      if (rnd.nextInt(4) == 0) { // remove a random earlier stream
        List<Stream> l = live.get(tenant);
        Stream gone = l.remove(rnd.nextInt(l.size()));
        idx.remove(tenant, gone.labels(), gone);
      }
    }
    List<List<LabelMatcher>> all = new ArrayList<>(queries);
    all.add(List.of());
    for (String tenant : TENANTS) {
      assertThat(idx.streamCount(tenant)).isEqualTo(live.get(tenant).size());
      for (List<LabelMatcher> q : all) {
        List<Stream> expected = live.get(tenant).stream().filter(s -> matchesAll(q, s.labels())).toList();
        if (!q.isEmpty()) {
          Statistics.label("select").collect(expected.isEmpty() ? "none"
              : expected.size() == live.get(tenant).size() ? "all" : "some");
        }
        assertThat(idx.select(tenant, q)).as("select %s %s", tenant, q).containsExactlyInAnyOrderElementsOf(expected);
        TreeSet<String> names = new TreeSet<>();
        for (Stream s : expected) for (Label l : s.labels().labels()) if (!l.value().isEmpty()) names.add(l.name());
        assertThat(idx.labelNames(tenant, q)).as("names %s", q).containsExactlyElementsOf(names);
        for (String name : List.of("app", "job", "nope")) {
          TreeSet<String> values = new TreeSet<>();
          for (Stream s : expected) {
            String v = s.labels().get(name);
            if (v != null && !v.isEmpty()) values.add(v);
          }
          assertThat(idx.labelValues(tenant, name, q)).as("values of %s %s", name, q).containsExactlyElementsOf(values);
        }
      }
    }
    // The oracle must be discriminating: a fair share of queries (5%, robust to unlucky seeds) select some but not all streams.
    Statistics.label("select").coverage(c -> c.check("some").percentage(p -> p >= 5));
  }

  @Provide
  Arbitrary<LabelSet> labels() {
    return IndexArbitraries.labelSets();
  }

  @Provide
  Arbitrary<List<LabelMatcher>> selectors() {
    return IndexArbitraries.selectors();
  }

  @Test
  void emptyValueSemanticsAndTenantIsolation() {
    HeadIndex<String> idx = new HeadIndex<>();
    idx.add("a", LabelSet.of("app", "web", "env", "prod"), "web-prod");
    idx.add("a", LabelSet.of("app", "api"), "api");
    idx.add("b", LabelSet.of("app", "web", "env", "dev"), "b-web");
    assertThat(idx.select("a", List.of(LabelMatcher.of(Type.NEQ, "env", "prod")))).containsExactly("api");
    assertThat(idx.select("a", List.of(LabelMatcher.of(Type.RE, "env", "prod|")))).containsExactlyInAnyOrder("api", "web-prod");
    assertThat(idx.select("a", List.of(LabelMatcher.eq("app", "web")))).containsExactly("web-prod");
    assertThat(idx.select("b", List.of(LabelMatcher.eq("env", "prod")))).isEmpty();
    assertThat(idx.labelValues("a", "env", List.of())).containsExactly("prod");
    assertThat(idx.labelNames("c", List.of())).isEmpty();
    assertThat(idx.select("c", List.of())).isEmpty();
  }

  @Test
  void removeForgetsEverything() {
    HeadIndex<String> idx = new HeadIndex<>();
    LabelSet ls = LabelSet.of("app", "web");
    idx.add("t", ls, "s");
    idx.add("t", ls, "s");
    assertThat(idx.streamCount("t")).isEqualTo(1);
    assertThat(idx.labelsOf("t", "s")).isEqualTo(ls);
    idx.remove("t", ls, "s");
    idx.remove("t", ls, "s");
    assertThat(idx.streamCount("t")).isZero();
    assertThat(idx.labelNames("t", List.of())).isEmpty();
    assertThat(idx.select("t", List.of(LabelMatcher.of(Type.RE, "app", ".*")))).isEmpty();
  }

  /**
   * Readers run while one writer adds and removes streams: no reader ever throws, and every stream a
   * reader gets back really matches (a stream is never seen half-indexed).
   */
  @Test
  void readersDuringWritesNeverThrowOrSeeWrongStreams() throws InterruptedException {
    HeadIndex<Stream> idx = new HeadIndex<>();
    List<LabelSet> pool = IndexArbitraries.labelSets().list().ofSize(200).sample();
    List<List<LabelMatcher>> queries = IndexArbitraries.selectors().list().ofSize(50).sample();
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(3);
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      Thread t = new Thread(() -> {
        started.countDown();
        int i = 0;
        try {
          while (!done.get()) {
            List<LabelMatcher> q = queries.get(i++ % queries.size());
            for (Stream s : idx.select("t", q)) {
              if (!matchesAll(q, s.labels())) throw new AssertionError(s + " does not match " + q);
            }
            idx.labelNames("t", q);
            idx.labelValues("t", "app", q);
            idx.streamCount("t");
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      t.start();
      readers.add(t);
    }
    started.await();
    Random rnd = new Random(Arbitraries.longs().sample());
    List<Stream> in = new ArrayList<>();
    for (int i = 0; i < 20_000 && failure.get() == null; i++) {
      if (in.isEmpty() || rnd.nextInt(3) != 0) {
        Stream s = new Stream(i, pool.get(rnd.nextInt(pool.size())));
        idx.add("t", s.labels(), s);
        in.add(s);
      } else {
        Stream s = in.remove(rnd.nextInt(in.size()));
        idx.remove("t", s.labels(), s);
      }
    }
    done.set(true);
    for (Thread t : readers) t.join();
    assertThat(failure.get()).isNull();
    assertThat(idx.streamCount("t")).isEqualTo(in.size());
  }
}
