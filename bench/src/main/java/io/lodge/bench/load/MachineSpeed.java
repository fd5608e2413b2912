package io.lodge.bench.load;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * A fixed single-threaded integer workload, timed in the calling thread's CPU time and in wall time, so
 * that a benchmark report says how fast the machine was while it ran: on a shared VM the same run has
 * differed 2.5x between hours (a busy host slows every core), and figures from different days compare
 * only next to this one. The CPU time shows a slow core; wall time above it, a core taken away.
 */
public record MachineSpeed(long cpuMillis, long wallMillis, long checksum) {
  /** Rounds of the loop: ~0.2 s on an idle EPYC vCPU, short enough to run before and after a run. */
  static final long ROUNDS = 200_000_000L;

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
    return new MachineSpeed(cpu / 1_000_000, wall / 1_000_000, sum);
  }

  /** The report line, e.g. {@code machine    a fixed single-thread loop: 212 ms CPU (215 ms wall) before, 230 (236) after}. */
  static String report(MachineSpeed before, MachineSpeed after) {
    return String.format(Locale.ROOT, "machine    a fixed single-thread loop (%,d rounds): %,d ms CPU (%,d ms wall) before the run,"
        + " %,d (%,d) after: compare runs only at like figures%n", ROUNDS, before.cpuMillis, before.wallMillis,
        after.cpuMillis, after.wallMillis);
  }
}
