package io.lodge.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The machine's CPU time from /proc/stat's first line: all of it and the part a hypervisor ran other
 * guests in while this VM had work (steal), in clock ticks. Two readings give the share stolen between them.
 */
public record CpuSteal(long totalTicks, long stealTicks) {
  /** A reading, empty when /proc/stat is not there or not understood (not Linux). */
  public static Optional<CpuSteal> sample() {
    try {
      return parse(Files.readAllLines(Path.of("/proc/stat")).get(0));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Parses {@code cpu  user nice system idle iowait irq softirq steal ...}: total is the sum of the
   * first eight counters (guest time is already inside user), steal the eighth. Empty for another line.
   */
  static Optional<CpuSteal> parse(String line) {
    String[] f = line.trim().split("\\s+");
    if (f.length < 9 || !f[0].equals("cpu")) return Optional.empty();
    long total = 0;
    for (int i = 1; i <= 8; i++) total += Long.parseLong(f[i]);
    return Optional.of(new CpuSteal(total, Long.parseLong(f[8])));
  }

  /** Percent of the CPU time since {@code before} that was stolen, or -1 when no time passed. */
  public double percentSince(CpuSteal before) {
    long total = totalTicks - before.totalTicks;
    return total <= 0 ? -1 : 100.0 * (stealTicks - before.stealTicks) / total;
  }
}
