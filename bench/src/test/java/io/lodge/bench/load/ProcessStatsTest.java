package io.lodge.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
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
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux /proc");
    long pid = ProcessHandle.current().pid();
    Map<String, Double> before = ProcessStats.threadCpu(pid);
    CountDownLatch burned = new CountDownLatch(1);
    CountDownLatch sampled = new CountDownLatch(1);
    Thread burner = Thread.ofPlatform().name("burner-7").start(() -> {
      // 200 ms of this thread's own CPU, however long the shared machine takes to give it
      java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
      long until = mx.getCurrentThreadCpuTime() + TimeUnit.MILLISECONDS.toNanos(200);
      long x = 0;
      while (mx.getCurrentThreadCpuTime() < until) x += Long.numberOfTrailingZeros(x + 1);
      if (x == 42) System.out.println(x);
      burned.countDown();
      try {
        sampled.await(30, TimeUnit.SECONDS); // alive while sampled: ended threads leave /proc
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(burned.await(60, TimeUnit.SECONDS)).isTrue();
    Map<String, Double> after = ProcessStats.threadCpu(pid);
    sampled.countDown();
    burner.join();
    Map<String, Double> delta = ProcessStats.threadCpuDelta(before, after);
    assertThat(delta).containsKey("burner");
    assertThat(delta.get("burner")).isGreaterThan(0.1); // 0.2 s in 10 ms ticks
    assertThat(java.util.List.copyOf(delta.values())).as("largest first").isSortedAccordingTo(java.util.Comparator.reverseOrder());
  }
}
