package io.lodge.bench.load;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Two fixed single-threaded workloads, so that a benchmark report says how fast the machine was while it
 * ran: on a shared VM the same run has differed 2.5x between hours (a busy host slows every core), and
 * figures from different days compare only next to these. An integer loop, timed in the calling thread's
 * CPU time and in wall time (the CPU time shows a slow core; wall time above it, a core taken away); and
 * a chain of dependent loads over {@link #MEMORY_BYTES} in random order, in nanoseconds per load: the
 * memory latency that neighbours on the host raise by filling the shared caches, which the integer loop
 * does not see (the same build has taken twice the CPU per line at like integer-loop figures).
 */
public record MachineSpeed(long cpuMillis, long wallMillis, long checksum, double memoryNanosPerLoad) {
  /** Rounds of the loop: ~0.2 s on an idle EPYC vCPU, short enough to run before and after a run. */
  static final long ROUNDS = 200_000_000L;
  /** The memory chain's size: larger than a host's last-level cache, so that most loads go to memory. */
  static final int MEMORY_BYTES = 64 << 20;
  /** Loads timed in the chain: ~0.2 s at 100 ns each. */
  static final int LOADS = 2_000_000;

  /** Runs the workload once on this thread. */
  public static MachineSpeed measure() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long wall0 = System.nanoTime();
    long x = 0x9E3779B97F4A7C15L;
    long sum = 0;
    for (long i = 0; i < ROUNDS; i++) { // xorshift: a dependent chain the JIT can neither vectorize nor skip
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      sum += x & 0xFF;
    }
    long cpu = threads.getCurrentThreadCpuTime() - cpu0;
    long wall = System.nanoTime() - wall0;
    return new MachineSpeed(cpu / 1_000_000, wall / 1_000_000, sum, timeMemoryLoads());
  }

  /**
   * Nanoseconds per load along one random cycle through {@link #MEMORY_BYTES} of ints (Sattolo's shuffle,
   * fixed seed): each load's address is the value of the one before, so neither the CPU nor the JIT can
   * overlap them. The cycle is walked once untimed first, so that the timed loads find the pages mapped and the loop compiled.
   */
  static double timeMemoryLoads() {
    int n = MEMORY_BYTES / Integer.BYTES;
    int[] next = new int[n];
    for (int i = 0; i < n; i++) next[i] = i;
    SplittableRandom r = new SplittableRandom(42);
    for (int i = n - 1; i > 0; i--) { // Sattolo: j < i makes one cycle through all n
      int j = r.nextInt(i);
      int t = next[i];
      next[i] = next[j];
      next[j] = t;
    }
    int p = walk(next, 0); // untimed: maps the pages and gets the loop compiled
    long t0 = System.nanoTime();
    p = walk(next, p);
    long nanos = System.nanoTime() - t0;
    if (p < 0) throw new AssertionError(); // keeps the chain's result alive
    return nanos / (double) LOADS;
  }

  /** Follows the chain {@link #LOADS} steps from {@code p}; returns where it ends. */
  private static int walk(int[] next, int p) {
    for (int i = 0; i < LOADS; i++) p = next[p];
    return p;
  }

  /**
   * The report lines, e.g. {@code machine    a fixed single-thread loop (...): 212 ms CPU (215 ms wall) before
   * the run, 230 (236) after} and {@code machine    memory: 95 ns per dependent load over 64 MB before the run,
   * 120 after; the hypervisor took 0.4% of the CPUs' time ...} ({@code stealPercent} below 0: not known).
   */
  static String report(MachineSpeed before, MachineSpeed after, double stealPercent) {
    String steal = stealPercent < 0 ? "" : String.format(Locale.ROOT, "; the hypervisor took %.1f%% of the CPUs' time"
        + " from this VM in the measured window (steal)", stealPercent);
    return String.format(Locale.ROOT, "machine    a fixed single-thread loop (%,d rounds): %,d ms CPU (%,d ms wall) before the run,"
        + " %,d (%,d) after: compare runs only at like figures%n", ROUNDS, before.cpuMillis, before.wallMillis,
        after.cpuMillis, after.wallMillis)
        + String.format(Locale.ROOT, "machine    memory: %.0f ns per dependent load over %d MB before the run, %.0f after%s%n",
            before.memoryNanosPerLoad, MEMORY_BYTES >> 20, after.memoryNanosPerLoad, steal);
  }
}
