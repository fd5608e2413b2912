package io.lodge.querier.metric;

import io.lodge.ingester.Ingester;
import io.lodge.ingester.PushOutcome;
import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.lodge.ingester.read.EntryIterator;
import io.lodge.ingester.read.IndexStats;
import io.lodge.ingester.read.LogReader;
import io.lodge.ingester.read.SelectRequest;
import io.lodge.ingester.testing.TestIngesters;
import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ast.SampleExpr;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The step-count shortcut of {@link RangeAggregationEvaluator} (count/rate/bytes without stages, read
 * in stream order into {@link StepCounts}) against the sliding windows ({@code stepCountCells(0)}) on a
 * real {@link Ingester}, bit for bit: series, timestamps, value bits, processed lines and bytes, or the
 * same error. The data has several streams per series of {@code by}/{@code without} groupings, metadata
 * (also named like a stream label, a {@code level} pair that queries group by, several pairs per entry,
 * sometimes an {@code __error__} pair), equal timestamps across streams, streams pushed in time order
 * (whole blocks counted without a merge) and streams with overlapping chunks and entries pushed again
 * after a flush, so head and chunks both hold them. Grids divide the range or not, ranges are shorter, equal
 * and longer than the step, with offsets, evaluated serially and in 2 to 5 parts on 2 threads; a third
 * engine has a tiny cell budget, so the shortcut gives up part-way and slides.
 */
class StepCountsPropertyTest {
  private static final long S = 1_000_000_000L;
  private static final long BASE = (Instant.now().getEpochSecond() / 60 * 60 - 1800) * S;
  private static final String[] FUNCTIONS = {"count_over_time", "rate", "bytes_over_time", "bytes_rate"};

  @Property(tries = 25)
  void stepCountsEqualSlidingWindowsBitForBit(@ForAll long seed) throws Exception {
    Random rnd = new Random(seed);
    Path dir = Files.createTempDirectory("step-counts");
    try (Ingester ing = new Ingester(TestIngesters.smallBlocks(dir, 16 * 1024, 1024), new PrometheusRegistry())) {
      ing.start();
      load(ing, rnd);
      AtomicInteger streamOrderReads = new AtomicInteger();
      LogReader reader = counting(ing.reader(), streamOrderReads);
      for (int q = 0; q < 12; q++) {
        String query = randomQuery(rnd);
        SampleExpr expr = (SampleExpr) LogqlParser.parse(query);
        long step = new long[] {1000, 2500, 3000, 5000, 7000, 10_000, 60_000}[rnd.nextInt(7)] * 1_000_000L;
        long start = BASE + (rnd.nextInt(200) - 40) * S + (rnd.nextBoolean() ? 0 : rnd.nextInt(1000) * 1_000_000L);
        long end = start + rnd.nextInt(200) * S + rnd.nextInt(1000) * 1_000_000L;
        boolean instant = rnd.nextInt(4) == 0;
        StepGrid grid = instant ? StepGrid.instant(start) : StepGrid.aligned(start, end, step);
        int parallelism = 1 + rnd.nextInt(2);
        int parts = parallelism == 1 ? 0 : 2 + rnd.nextInt(4);
        int maxSeries = new int[] {0, 0, 0, 2, 5}[rnd.nextInt(5)];
        String sliding = outcome(reader, maxSeries, parallelism, parts, 0, expr, grid, instant);
        int before = streamOrderReads.get();
        String counted = outcome(reader, maxSeries, parallelism, parts, MetricEngine.DEFAULT_STEP_COUNT_CELLS, expr, grid, instant);
        String what = query + " on " + grid + ", parallelism " + parallelism + ", parts " + parts + ", seed " + seed;
        assertThat(counted).as(what).isEqualTo(sliding);
        // an instant query counts its one window; a range query split into parts of one point each slides
        boolean shortcut = !query.contains(" |") && (instant || grid.points() >= 2 * Math.max(1, parts));
        if (shortcut) assertThat(streamOrderReads.get()).as("took the shortcut: " + what).isGreaterThan(before);
        String fellBack = outcome(reader, maxSeries, parallelism, parts, 1 + rnd.nextInt(3 * grid.points() + 3), expr, grid,
            instant);
        assertThat(fellBack).as("tiny budget: " + what).isEqualTo(sliding);
      }
    } finally {
      TestIngesters.deleteTree(dir);
    }
  }

  private static String outcome(LogReader reader, int maxSeries, int parallelism, int parts, long cells, SampleExpr expr,
      StepGrid grid, boolean instant) {
    try (MetricEngine engine = new MetricEngine(reader, maxSeries, Duration.ZERO, parallelism)) {
      engine.forceParts(parts);
      engine.stepCountCells(cells);
      return ParallelEvaluationPropertyTest.outcome(engine, expr, grid, instant);
    }
  }

  /**
   * Streams {app, instance, pod} (several per app and per instance), pushed in three rounds with a
   * flush after the first: some entries of earlier rounds are pushed again (a duplicate in head and
   * chunk, which the read drops), and timestamps are whole seconds half of the time (equal across streams).
   */
  private static void load(Ingester ing, Random rnd) throws Exception {
    List<LabelSet> streams = new ArrayList<>();
    for (String app : new String[] {"a", "b", "c"}) {
      for (int i = 0; i < 1 + rnd.nextInt(3); i++) {
        streams.add(LabelSet.of("app", app, "instance", "i" + rnd.nextInt(3), "job", "j", "pod", "p" + i));
      }
    }
    List<List<LogEntry>> pushed = new ArrayList<>();
    for (int s = 0; s < streams.size(); s++) pushed.add(new ArrayList<>());
    // some streams are pushed in time order round after round (ns timestamps, no entry pushed twice): their
    // chunks, head blocks and tail do not overlap, so the read hands out whole blocks without merging
    boolean[] ordered = new boolean[streams.size()];
    for (int s = 0; s < streams.size(); s++) ordered[s] = rnd.nextBoolean();
    boolean errorPairs = rnd.nextInt(4) == 0; // an __error__ pair in metadata: a pipeline error
    for (int round = 0; round < 3; round++) {
      List<PushStream> push = new ArrayList<>();
      for (int s = 0; s < streams.size(); s++) {
        List<LogEntry> entries = new ArrayList<>();
        for (int n = rnd.nextInt(ordered[s] ? 150 : 80); n > 0; n--) {
          long ts = ordered[s]
              ? BASE + (round * 100 - 100) * S + (long) (rnd.nextDouble() * 100 * S)
              : BASE + (rnd.nextInt(300) - 100) * S + (rnd.nextBoolean() ? 0 : rnd.nextInt(1000) * 1_000_000L);
          String line = "x".repeat(rnd.nextInt(30)) + (rnd.nextBoolean() ? "é" : "") + (rnd.nextInt(3) == 0 ? " err" : "");
          List<Label> md = switch (rnd.nextInt(10)) {
            case 0 -> List.of(new Label("trace", "t" + rnd.nextInt(2)));
            case 1 -> List.of(new Label("app", "md")); // read back as app_extracted
            case 2, 3 -> List.of(new Label("level", rnd.nextBoolean() ? "info" : "error")); // like detected_level
            case 4 -> List.of(new Label("instance", "md" + rnd.nextInt(2))); // read back as instance_extracted
            case 5 -> List.of(new Label("level", "warn"), new Label("trace", "t" + rnd.nextInt(2)));
            case 6 -> errorPairs && rnd.nextInt(8) == 0 ? List.of(new Label("__error__", "E")) : List.of();
            default -> List.of();
          };
          entries.add(LogEntry.of(ts, line, md));
        }
        if (!ordered[s]) for (LogEntry e : pushed.get(s)) if (rnd.nextInt(5) == 0) entries.add(e);
        entries.sort(Comparator.comparingLong(LogEntry::timestampNanos));
        pushed.get(s).addAll(entries);
        if (!entries.isEmpty()) push.add(new PushStream(streams.get(s), entries));
      }
      PushOutcome o = ing.pushService().push("t", new PushRequest(push)).get();
      assertThat(o.status()).as(o.toString()).isEqualTo(204);
      if (round == 0 || rnd.nextBoolean()) ing.flushAll();
    }
  }

  private static String randomQuery(Random rnd) {
    String fn = FUNCTIONS[rnd.nextInt(FUNCTIONS.length)];
    long range = new long[] {1, 2, 3, 5, 10, 30, 60, 90}[rnd.nextInt(8)];
    long offset = new long[] {0, 0, 2, 5, 30}[rnd.nextInt(5)];
    String selector = rnd.nextInt(3) == 0 ? "{app=~\"a|b\"}" : "{job=\"j\"}";
    String stage = rnd.nextInt(8) == 0 ? " |= \"err\"" : ""; // off the shortcut: the same either way
    String inner = fn + "(" + selector + stage + " [" + range + "s]" + (offset == 0 ? "" : " offset " + offset + "s") + ")";
    return switch (rnd.nextInt(12)) {
      case 0 -> inner;
      case 1 -> "sum by (app) (" + inner + ")";
      case 2 -> "sum without (pod) (" + inner + ")";
      case 3, 8 -> "sum by (instance) (" + inner + ")";
      case 4 -> "sum(" + inner + ")";
      case 5 -> "max by (app) (" + inner + ")";
      case 6 -> "sum by (app_extracted, trace) (" + inner + ")";
      case 9 -> "sum by (level) (" + inner + ")"; // a metadata label as the grouping
      case 10 -> "sum by (instance_extracted, level) (" + inner + ")";
      case 11 -> "sum without (level, trace) (" + inner + ")";
      default -> "sum without (instance, trace) (" + inner + ")";
    };
  }

  /** Passes everything on, counting the selects that asked for stream order. */
  private static LogReader counting(LogReader in, AtomicInteger streamOrder) {
    return new LogReader() {
      @Override
      public EntryIterator select(SelectRequest request) {
        if (request.hints().streamOrderOnly()) streamOrder.incrementAndGet();
        return in.select(request);
      }

      @Override
      public List<String> labelNames(String tenant, long from, long to, List<LabelMatcher> matchers) {
        return in.labelNames(tenant, from, to, matchers);
      }

      @Override
      public List<String> labelValues(String tenant, String name, long from, long to, List<LabelMatcher> matchers) {
        return in.labelValues(tenant, name, from, to, matchers);
      }

      @Override
      public List<LabelSet> series(String tenant, List<List<LabelMatcher>> selectors, long from, long to) {
        return in.series(tenant, selectors, from, to);
      }

      @Override
      public IndexStats stats(String tenant, List<LabelMatcher> matchers, long from, long to) {
        return in.stats(tenant, matchers, from, to);
      }
    };
  }
}
