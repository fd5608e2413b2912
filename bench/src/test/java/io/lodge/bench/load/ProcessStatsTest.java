package io.lodge.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link ProcessStats}' per-thread CPU: names grouped without their numbers, deltas largest first. */
class ProcessStatsTest {
  @Test
  void threadNamesAreGroupedWithoutTheirNumbers() {
    assertThat(ProcessStats.threadGroup("lodge-push-2")).isEqualTo("lodge-push");
    assertThat(ProcessStats.threadGroup("GC Thread#0")).isEqualTo("GC Thread");
    assertThat(ProcessStats.threadGroup("C2 CompilerThre")).isEqualTo("C2 CompilerThre");
    assertThat(ProcessStats.threadGroup("lodge-wal-writer")).isEqualTo("lodge-wal-writer");
    assertThat(ProcessStats.threadGroup("worker_12")).isEqualTo("worker");
    assertThat(ProcessStats.threadGroup("1234")).as("nothing left: kept whole").isEqualTo("1234");
  }

  @Test
  void aBusyThreadShowsUpUnderItsGroup() throws Exception {
    long pid = ProcessHandle.current().pid();
    Map<String, Double> before = ProcessStats.threadCpu(pid);
    Thread burner = Thread.ofPlatform().name("burner-7").start(() -> {
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
      long x = 0;
      while (System.nanoTime() < until) x += Long.numberOfTrailingZeros(x + 1);
      if (x == 42) System.out.println(x);
    });
    Thread.sleep(300); // still running: ended threads leave /proc
    Map<String, Double> after = ProcessStats.threadCpu(pid);
    burner.join();
    Map<String, Double> delta = ProcessStats.threadCpuDelta(before, after);
    assertThat(delta).containsKey("burner");
    assertThat(delta.get("burner")).isGreaterThan(0.1);
    assertThat(java.util.List.copyOf(delta.values())).as("largest first").isSortedAccordingTo(java.util.Comparator.reverseOrder());
  }
}
