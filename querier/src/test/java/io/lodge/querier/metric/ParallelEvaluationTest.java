package io.lodge.querier.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.querier.api.BadQueryException;
import io.lodge.querier.api.QueryStats;
import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ast.SampleExpr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Where split evaluation runs and how it stops: the parts run on the engine's named threads and read
 * their own time ranges, the plan keeps long ranges serial, and the timeout, the series limit and an
 * interruption still end the query when parts are running or waiting for a thread.
 */
class ParallelEvaluationTest {
  private static final long S = 1_000_000_000L;
  private static final long B = 1_700_000_000L * S;
  private static final LabelSet A = LabelSet.of("app", "a");

  private static List<MemoryLogReader.Entry> entries(int n, int streams) {
    List<MemoryLogReader.Entry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new MemoryLogReader.Entry(LabelSet.of("app", "a", "i", Integer.toString(i % streams)),
          B + i * (S / 10), "line " + i, List.of()));
    }
    return out;
  }

  private static SampleExpr parse(String q) {
    return (SampleExpr) LogqlParser.parse(q);
  }

  @Test
  void partsRunOnTheEnginesThreadsAndReadTheirOwnRanges() {
    MemoryLogReader reader = new MemoryLogReader(entries(600, 1));
    try (MetricEngine engine = new MetricEngine(reader, 0, Duration.ZERO, 2)) {
      engine.forceParts(3);
      StepGrid grid = StepGrid.aligned(B, B + 50 * S, 10 * S); // 6 steps: 2 per part
      MetricResult.Matrix m = (MetricResult.Matrix) engine.evaluate("t", parse("count_over_time({app=\"a\"}[10s])"),
          grid, false, new QueryStats());
      assertThat(m.series()).hasSize(1);
      assertThat(m.series().getFirst().values()).containsExactly(1, 100, 100, 100, 100, 100);
      assertThat(reader.selectThreads).hasSize(3).allMatch(t -> t.startsWith(MetricEngine.THREAD_PREFIX));
      // (first step - range, last step] of each part, as one forward read each
      assertThat(reader.selects.stream().map(r -> (r.fromNanos() - 1 - B) / S + ".." + (r.toNanos() - 1 - B) / S))
          .containsExactlyInAnyOrder("-10..10", "10..30", "30..50");
    }
  }

  @Test
  void anInstantQuerysLongWindowIsReadInSlicesWithTheSerialResult() {
    List<MemoryLogReader.Entry> es = new ArrayList<>();
    for (int i = 0; i < 3600; i++) {
      es.add(new MemoryLogReader.Entry(LabelSet.of("app", "a", "i", Integer.toString(i % 3)), B + i * S, "l" + i,
          List.of(new Label("latency", Integer.toString(i % 17)))));
    }
    String q = "quantile_over_time(0.9, {app=\"a\"} | unwrap latency [1h]) by (i)";
    StepGrid at = StepGrid.instant(B + 3600 * S);
    MemoryLogReader reader = new MemoryLogReader(es);
    String serial = ParallelEvaluationPropertyTest.outcome(new MetricEngine(new MemoryLogReader(es), 0, Duration.ZERO, 1),
        parse(q), at, true);
    try (MetricEngine engine = new MetricEngine(reader, 0, Duration.ZERO, 2)) {
      assertThat(ParallelEvaluationPropertyTest.outcome(engine, parse(q), at, true)).isEqualTo(serial)
          .contains("totalLinesProcessed=3599"); // (t-1h, t] leaves the entry at t-1h out
      // 1 h at 5 min per slice, at most 2 threads: two halves of (t-1h, t]
      assertThat(reader.selectThreads).hasSize(2).allMatch(t -> t.startsWith(MetricEngine.THREAD_PREFIX));
      assertThat(reader.selects.stream().map(r -> (r.fromNanos() - 1 - B) / S + ".." + (r.toNanos() - 1 - B) / S))
          .containsExactlyInAnyOrder("0..1800", "1800..3600");
      reader.selects.clear();
      reader.selectThreads.clear();
      engine.evaluate("t", parse("count_over_time({app=\"a\"}[4m])"), at, true, new QueryStats());
      assertThat(reader.selectThreads).as("under 2 x 5 min: one read").containsExactly(Thread.currentThread().getName());
    }
  }

  @Test
  void aSerialEngineEvaluatesOnTheCallingThread() {
    MemoryLogReader reader = new MemoryLogReader(entries(100, 1));
    MetricEngine engine = new MetricEngine(reader, 0, Duration.ZERO, 1);
    assertThat(engine.parallelism()).isEqualTo(1);
    engine.evaluate("t", parse("count_over_time({app=\"a\"}[1s])"), StepGrid.aligned(B, B + 10 * S, S), false,
        new QueryStats());
    assertThat(reader.selectThreads).containsExactly(Thread.currentThread().getName());
  }

  @Test
  void thePlanSplitsByCoresButKeepsRangesLongerThanTheQuerySerial() {
    StepGrid hour = StepGrid.aligned(B, B + 3600 * S, 60 * S); // 61 steps
    assertThat(SplitPlan.of(hour, 60 * S, 4).size()).isEqualTo(4);
    assertThat(SplitPlan.of(hour, 60 * S, 1).size()).isEqualTo(1);
    assertThat(SplitPlan.of(hour, 3600 * S, 4).size()).as("[1h]: 59 min re-read per extra part, half of 2 h")
        .isEqualTo(2);
    assertThat(SplitPlan.of(hour, 7200 * S, 4).size()).as("[2h] over 1 h: re-reading more than half").isEqualTo(1);
    assertThat(SplitPlan.of(hour, 600 * S, 4).size()).as("[10m]: 3 x 9 min re-read < half of 70 min")
        .isEqualTo(4);
    assertThat(SplitPlan.of(hour, 1200 * S, 4).size()).as("[20m]: 19 min per extra part, half of 80 min")
        .isEqualTo(3);
    assertThat(SplitPlan.of(StepGrid.aligned(B, B + 5 * S, S), S, 4).size()).as("6 steps: 4 per part at least")
        .isEqualTo(1);
    assertThat(SplitPlan.of(StepGrid.instant(B), S, 4).size()).isEqualTo(1);
    assertThat(SplitPlan.of(hour, -1, 4).size()).as("nothing to read: vector(1)").isEqualTo(1);
  }

  @Test
  void evenPartsCoverEveryStepOnceInOrder() {
    for (int points = 1; points <= 40; points++) {
      StepGrid grid = new StepGrid(B, B + (points - 1) * 7 * S, 7 * S);
      for (int parts = 1; parts <= 45; parts++) {
        List<Long> steps = new ArrayList<>();
        SplitPlan plan = SplitPlan.even(grid, parts);
        assertThat(plan.size()).isEqualTo(Math.min(points, parts));
        for (StepGrid g : plan.parts()) {
          assertThat(g.stepNanos()).isEqualTo(grid.stepNanos());
          for (int k = 0; k < g.points(); k++) steps.add(g.at(k));
        }
        List<Long> all = new ArrayList<>();
        for (int k = 0; k < grid.points(); k++) all.add(grid.at(k));
        assertThat(steps).as("%d points in %d parts", points, parts).isEqualTo(all);
      }
    }
  }

  @Test
  void theTimeoutFiresInEveryPart() {
    try (MetricEngine engine = new MetricEngine(new MemoryLogReader(entries(5000, 3)), 0, Duration.ofNanos(1), 2)) {
      engine.forceParts(4);
      assertThatThrownBy(() -> engine.evaluate("t", parse("count_over_time({app=\"a\"}[1s])"),
          StepGrid.aligned(B, B + 500 * S, S), false, new QueryStats()))
          .isInstanceOfSatisfying(MetricEvaluationException.class, e -> assertThat(e.status()).isEqualTo(504));
    }
  }

  @Test
  void theTimeoutFiresWhilePartsWaitForABusyPool() throws Exception {
    MemoryLogReader reader = new MemoryLogReader(entries(1000, 3));
    CountDownLatch gate = new CountDownLatch(1);
    reader.gate = gate;
    ExecutorService caller = Executors.newSingleThreadExecutor();
    // long enough that the first query's parts reach the gate before it, however slow the machine
    try (MetricEngine engine = new MetricEngine(reader, 0, Duration.ofSeconds(3), 2)) {
      engine.forceParts(2);
      SampleExpr q = parse("count_over_time({app=\"a\"}[1s])");
      StepGrid grid = StepGrid.aligned(B, B + 100 * S, S);
      // the first query's parts hold both threads at the gate; the second's wait in the queue
      Future<?> first = caller.submit(() -> engine.evaluate("t", q, grid, false, new QueryStats()));
      long t0 = System.nanoTime();
      while (reader.selects.size() < 2 && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10)) Thread.sleep(5);
      assertThat(reader.selects).hasSize(2);
      long start = System.nanoTime();
      assertThatThrownBy(() -> engine.evaluate("t", q, grid, false, new QueryStats()))
          .isInstanceOfSatisfying(MetricEvaluationException.class, e -> assertThat(e.status()).isEqualTo(504));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
      assertThat(reader.selects).as("the second query's parts never started").hasSize(2);
      gate.countDown();
      assertThatThrownBy(first::get).hasCauseInstanceOf(MetricEvaluationException.class);
    } finally {
      gate.countDown();
      caller.shutdownNow();
    }
  }

  @Test
  void anInterruptedCallerGetsContextCanceled() throws Exception {
    MemoryLogReader reader = new MemoryLogReader(entries(1000, 3));
    CountDownLatch gate = new CountDownLatch(1);
    reader.gate = gate;
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    try (MetricEngine engine = new MetricEngine(reader, 0, Duration.ZERO, 2)) {
      engine.forceParts(2);
      Thread t = new Thread(() -> {
        try {
          engine.evaluate("t", parse("count_over_time({app=\"a\"}[1s])"), StepGrid.aligned(B, B + 100 * S, S), false,
              new QueryStats());
        } catch (Throwable e) {
          thrown.set(e);
        }
      });
      t.start();
      long t0 = System.nanoTime();
      while (reader.selects.size() < 2 && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10)) Thread.sleep(5);
      t.interrupt();
      t.join(10_000);
      assertThat(t.isAlive()).isFalse();
      assertThat(thrown.get()).isInstanceOfSatisfying(MetricEvaluationException.class, e -> {
        assertThat(e.status()).isEqualTo(499);
        assertThat(e.getMessage()).isEqualTo("context canceled");
      });
    } finally {
      gate.countDown();
    }
  }

  @Test
  void theSeriesLimitFiresAcrossParts() {
    // 4 streams, each in one part only: no part alone passes a limit of 2, the whole query does
    List<MemoryLogReader.Entry> es = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      es.add(new MemoryLogReader.Entry(LabelSet.of("app", "a", "i", Integer.toString(i)), B + i * 10 * S + 1, "x",
          List.of()));
    }
    try (MetricEngine engine = new MetricEngine(new MemoryLogReader(es), 2, Duration.ZERO, 2)) {
      engine.forceParts(4);
      assertThatThrownBy(() -> engine.evaluate("t", parse("count_over_time({app=\"a\"}[10s])"),
          StepGrid.aligned(B, B + 40 * S, 10 * S), false, new QueryStats()))
          .isInstanceOf(BadQueryException.class)
          .hasMessage("maximum of series (2) reached for a single query");
      assertThat(((MetricResult.Matrix) new MetricEngine(new MemoryLogReader(es), 4, Duration.ZERO, 2)
          .evaluate("t", parse("count_over_time({app=\"a\"}[10s])"), StepGrid.aligned(B, B + 40 * S, 10 * S), false,
              new QueryStats())).series()).hasSize(4);
    }
  }

  @Test
  void aFailingFirstPartFailsTheQueryWhateverTheLaterPartsDo() {
    // every entry fails duration(): the first part fails at its first step, while the second, holding far
    // more entries, is still reading (it stops at its next check, or finishes: either way the error is
    // the first part's)
    List<MemoryLogReader.Entry> es = new ArrayList<>();
    es.add(new MemoryLogReader.Entry(A, B + 1, "x", List.of(new Label("latency", "7"))));
    for (int i = 0; i < 200_000; i++) {
      es.add(new MemoryLogReader.Entry(A, B + 10 * S + i * 1000L, "x",
          List.of(new Label("latency", "7"))));
    }
    MemoryLogReader reader = new MemoryLogReader(es);
    try (MetricEngine engine = new MetricEngine(reader, 0, Duration.ZERO, 2)) {
      engine.forceParts(2);
      assertThatThrownBy(() -> engine.evaluate("t", parse("sum_over_time({app=\"a\"} | unwrap duration(latency) [1s])"),
          StepGrid.aligned(B, B + 11 * S, S), false, new QueryStats()))
          .isInstanceOf(BadQueryException.class).hasMessageStartingWith("pipeline error: 'SampleExtractionErr'");
    }
  }
}
