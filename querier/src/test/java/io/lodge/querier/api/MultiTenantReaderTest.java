package io.lodge.querier.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.config.LodgeConfig;
import io.lodge.ingester.Ingester;
import io.lodge.ingester.PushOutcome;
import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.lodge.ingester.read.Direction;
import io.lodge.ingester.read.EntryIterator;
import io.lodge.ingester.read.IndexStats;
import io.lodge.ingester.read.LogReader;
import io.lodge.ingester.read.SelectRequest;
import io.lodge.ingester.testing.LoghubData;
import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ast.LogQuery;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MultiTenantReader} over a real {@link Ingester} holding loghub lines for three tenants (shared and
 * own streams, random timestamps with collisions across tenants), checked against an oracle built from
 * the plain per-tenant reads; and the {@code query_timeout} deadline of {@link LogQueryExecutor}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiTenantReaderTest {
  private static final long S = 1_000_000_000L;
  private static final long T0 = (Instant.now().getEpochSecond() - 3600) * S;
  private static final long END = T0 + 3600 * S;
  private static final List<String> TENANTS = List.of("a", "b", "c");

  private Ingester ingester;
  private LogReader base;
  private MultiTenantReader multi;

  private record Row(LabelSet labels, long ts, String line) {}

  @BeforeAll
  void push(@TempDir Path dir) throws Exception {
    ingester = new Ingester(LodgeConfig.defaults().withPathPrefix(dir.resolve("data")), new PrometheusRegistry());
    ingester.start();
    base = ingester.reader();
    multi = new MultiTenantReader(base);
    List<String> ssh = LoghubData.lines("OpenSSH_2k.log");
    List<String> hdfs = LoghubData.lines("HDFS_2k.log");
    Random rnd = new Random(42);
    for (int t = 0; t < TENANTS.size(); t++) {
      List<PushStream> streams = new ArrayList<>();
      // every tenant has {app="ssh"} (same labels, different data); only some have the others
      streams.add(new PushStream(LabelSet.of("app", "ssh", "env", "prod"), entries(ssh, 300 + t, rnd, t * 500)));
      if (t != 1) streams.add(new PushStream(LabelSet.of("app", "hdfs", "zone", "z" + t), entries(hdfs, 200, rnd, t * 300)));
      PushOutcome o = ingester.pushService().push(TENANTS.get(t), new PushRequest(streams)).get();
      assertThat(o.status()).as(o.toString()).isEqualTo(204);
    }
  }

  /** {@code n} lines from {@code offset}, at increasing times with random (often zero) gaps. */
  private static List<LogEntry> entries(List<String> lines, int n, Random rnd, int offset) {
    List<LogEntry> out = new ArrayList<>();
    long ts = T0;
    for (int i = 0; i < n; i++) {
      ts += rnd.nextInt(3) * S; // equal timestamps within and across tenants
      out.add(LogEntry.of(ts, lines.get(offset + i)));
    }
    return out;
  }

  @AfterAll
  void close() {
    if (ingester != null) ingester.close();
  }

  private static List<Row> read(EntryIterator it) {
    List<Row> out = new ArrayList<>();
    try (it) {
      while (it.next()) out.add(new Row(it.labels(), it.timestampNanos(), new String(it.line(), StandardCharsets.UTF_8)));
    }
    return out;
  }

  /** The oracle: each tenant read alone, labelled, merged by time (ties by labels, then source order). */
  private List<Row> expected(List<String> tenants, List<LabelMatcher> matchers, Direction d) {
    List<Row> all = new ArrayList<>();
    for (String t : tenants) {
      try (EntryIterator it = base.select(new SelectRequest(t, matchers, T0, END, d))) {
        while (it.next()) {
          all.add(new Row(it.labels().with("__tenant_id__", t), it.timestampNanos(),
              new String(it.line(), StandardCharsets.UTF_8)));
        }
      }
    }
    Comparator<Row> byTime = Comparator.comparingLong(Row::ts);
    if (d == Direction.BACKWARD) byTime = byTime.reversed();
    all.sort(byTime.thenComparing(Row::labels));
    return all;
  }

  @Test
  void selectMergesTenantsInTimeOrderWithTheTenantLabel() {
    for (Direction d : Direction.values()) {
      for (List<LabelMatcher> ms : List.of(List.of(LabelMatcher.eq("app", "ssh")),
          List.of(LabelMatcher.of(LabelMatcher.Type.RE, "app", ".+")))) {
        List<Row> got = read(multi.select(new SelectRequest("a|b|c", ms, T0, END, d)));
        assertThat(got).isEqualTo(expected(TENANTS, ms, d));
        assertThat(got).isNotEmpty().allMatch(r -> r.labels().has("__tenant_id__"));
        // the same entries as the plain reads, each exactly once
        assertThat(got.size()).isEqualTo(TENANTS.stream().mapToInt(t -> read(base.select(new SelectRequest(t, ms, T0, END, d))).size()).sum());
      }
    }
  }

  @Test
  void tenantMatchersChooseTenantsAndAreNotPassedOn() {
    List<LabelMatcher> ms = List.of(LabelMatcher.eq("app", "ssh"), LabelMatcher.of(LabelMatcher.Type.RE, "__tenant_id__", "a|c"));
    List<Row> got = read(multi.select(new SelectRequest("a|b|c", ms, T0, END, Direction.FORWARD)));
    assertThat(got).isEqualTo(expected(List.of("a", "c"), List.of(LabelMatcher.eq("app", "ssh")), Direction.FORWARD));
    List<LabelMatcher> none = List.of(LabelMatcher.eq("app", "ssh"), LabelMatcher.eq("__tenant_id__", "zz"));
    assertThat(read(multi.select(new SelectRequest("a|b", none, T0, END, Direction.FORWARD)))).isEmpty();
  }

  @Test
  void oneTenantGoesStraightThroughWithoutTheLabel() {
    List<LabelMatcher> ms = List.of(LabelMatcher.eq("app", "ssh"));
    List<Row> got = read(multi.select(new SelectRequest("b", ms, T0, END, Direction.BACKWARD)));
    assertThat(got).isEqualTo(read(base.select(new SelectRequest("b", ms, T0, END, Direction.BACKWARD))));
    assertThat(got).isNotEmpty().noneMatch(r -> r.labels().has("__tenant_id__"));
    assertThat(multi.labelNames("b", T0, END, List.of())).isEqualTo(base.labelNames("b", T0, END, List.of()));
  }

  @Test
  void labelsAndValuesAreTheUnionPlusTheTenantLabel() {
    TreeSet<String> names = new TreeSet<>(List.of("__tenant_id__"));
    TreeSet<String> apps = new TreeSet<>();
    for (String t : TENANTS) {
      names.addAll(base.labelNames(t, T0, END, List.of()));
      apps.addAll(base.labelValues(t, "app", T0, END, List.of()));
    }
    assertThat(multi.labelNames("a|b|c", T0, END, List.of())).containsExactlyElementsOf(names).contains("zone", "env");
    assertThat(multi.labelValues("a|b|c", "app", T0, END, List.of())).containsExactlyElementsOf(apps);
    assertThat(multi.labelValues("a|b|c", "zone", T0, END, List.of())).containsExactly("z0", "z2");
    assertThat(multi.labelValues("a|b|c", "__tenant_id__", T0, END, List.of())).containsExactly("a", "b", "c");
    assertThat(multi.labelValues("a|b|c", "__tenant_id__", T0, END, List.of(LabelMatcher.of(LabelMatcher.Type.NEQ,
        "__tenant_id__", "b")))).containsExactly("a", "c");
    assertThat(multi.labelValues("a|b|c", "zone", T0, END, List.of(LabelMatcher.eq("__tenant_id__", "c"))))
        .containsExactly("z2");
  }

  @Test
  void seriesCarryTheTenantAndSelectorsMayNameIt() {
    List<String> all = new ArrayList<>();
    for (String t : TENANTS) for (LabelSet s : base.series(t, List.of(), T0, END)) all.add(s.with("__tenant_id__", t).canonical());
    assertThat(multi.series("a|b|c", List.of(), T0, END)).extracting(LabelSet::canonical).containsExactlyInAnyOrderElementsOf(all);
    List<List<LabelMatcher>> sel = List.of(List.of(LabelMatcher.eq("__tenant_id__", "b")),
        List.of(LabelMatcher.eq("app", "hdfs"), LabelMatcher.eq("__tenant_id__", "c")));
    List<LabelSet> want = new ArrayList<>();
    for (LabelSet s : base.series("b", List.of(), T0, END)) want.add(s.with("__tenant_id__", "b"));
    for (LabelSet s : base.series("c", List.of(List.of(LabelMatcher.eq("app", "hdfs"))), T0, END)) want.add(s.with("__tenant_id__", "c"));
    assertThat(want).hasSize(2);
    assertThat(multi.series("a|b|c", sel, T0, END)).containsExactlyInAnyOrderElementsOf(want);
  }

  @Test
  void statsAreSummed() {
    List<LabelMatcher> ms = List.of(LabelMatcher.of(LabelMatcher.Type.RE, "app", ".+"));
    long streams = 0;
    long entries = 0;
    long bytes = 0;
    for (String t : TENANTS) {
      IndexStats s = base.stats(t, ms, T0, END);
      streams += s.streams();
      entries += s.entries();
      bytes += s.bytes();
    }
    IndexStats m = multi.stats("a|b|c", ms, T0, END);
    assertThat(m.streams()).isEqualTo(streams).isEqualTo(5);
    assertThat(m.entries()).isEqualTo(entries).isPositive();
    assertThat(m.bytes()).isEqualTo(bytes);
  }

  /** A reader that counts the iterators it handed out and that were closed. */
  private static final class CountingReader implements LogReader {
    final LogReader in;
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger read = new AtomicInteger();

    CountingReader(LogReader in) {
      this.in = in;
    }

    @Override
    public EntryIterator select(SelectRequest request) {
      EntryIterator it = in.select(request);
      open.incrementAndGet();
      return new EntryIterator() {
        public boolean next() {
          boolean n = it.next();
          if (n) read.incrementAndGet();
          return n;
        }
        public LabelSet labels() { return it.labels(); }
        public long timestampNanos() { return it.timestampNanos(); }
        public byte[] line() { return it.line(); }
        public List<io.lodge.ingester.model.Label> metadata() { return it.metadata(); }
        public void close() {
          open.decrementAndGet();
          it.close();
        }
      };
    }

    @Override
    public List<String> labelNames(String tenant, long f, long t, List<LabelMatcher> m) { return in.labelNames(tenant, f, t, m); }

    @Override
    public List<String> labelValues(String tenant, String n, long f, long t, List<LabelMatcher> m) { return in.labelValues(tenant, n, f, t, m); }

    @Override
    public List<LabelSet> series(String tenant, List<List<LabelMatcher>> s, long f, long t) { return in.series(tenant, s, f, t); }

    @Override
    public IndexStats stats(String tenant, List<LabelMatcher> m, long f, long t) { return in.stats(tenant, m, f, t); }
  }

  @Test
  void logQueriesStopAtTheDeadlineAndCloseTheirIterators() throws Exception {
    int total = 0; // what the reader holds (identical entries pushed twice are stored once)
    for (String t : TENANTS) {
      total += read(base.select(new SelectRequest(t, List.of(LabelMatcher.of(LabelMatcher.Type.RE, "app", ".+")), T0, END,
          Direction.BACKWARD))).size();
    }
    assertThat(total).isGreaterThan(1000);
    CountingReader counting = new CountingReader(base);
    MultiTenantReader reader = new MultiTenantReader(counting);
    // a filter that keeps nothing: the whole range is read, the limit never ends the loop
    String query = "{app=~\".+\"} |= \"no line holds this\"";
    LogQuery q = (LogQuery) LogqlParser.parse(query);
    LogQueryParams p = new LogQueryParams(query, new TimeRange(T0, END), 100, Direction.BACKWARD);
    Deadline passed = Deadline.after(Duration.ofNanos(1));
    Thread.sleep(1);
    assertThatThrownBy(() -> new LogQueryExecutor().execute(reader, "a|b|c", q, p, false, 0, passed))
        .isInstanceOf(QueryTimeoutException.class).hasMessage(QueryTimeoutException.MESSAGE);
    assertThat(counting.open.get()).isZero();
    assertThat(counting.read.get()).isLessThan(total); // gave up before reading everything

    counting.read.set(0);
    byte[] ok = new LogQueryExecutor().execute(reader, "a|b|c", q, p, false, 0, Deadline.after(Duration.ofMinutes(1)));
    assertThat(new String(ok, StandardCharsets.UTF_8)).contains("\"result\":[]");
    assertThat(counting.read.get()).isEqualTo(total);
    assertThat(counting.open.get()).isZero();
  }
}
