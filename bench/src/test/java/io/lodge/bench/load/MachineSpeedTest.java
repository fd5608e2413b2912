package io.lodge.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineSpeedTest {
  @Test
  void theWorkloadIsFixedAndTimedInCpuAndWallTime() {
    MachineSpeed a = MachineSpeed.measure();
    MachineSpeed b = MachineSpeed.measure();
    assertThat(a.checksum()).as("the same work every time").isEqualTo(b.checksum()).isNotZero();
    assertThat(a.cpuMillis()).isPositive();
    assertThat(a.wallMillis()).isGreaterThanOrEqualTo(a.cpuMillis() - 15); // CPU clocks tick coarser than nanoTime
    // a load from memory takes at least a few cache-hit cycles, and not a millisecond
    assertThat(a.memoryNanosPerLoad()).isBetween(0.5, 1_000_000.0);
    assertThat(MachineSpeed.report(a, b, 0.42)).startsWith("machine    a fixed single-thread loop (200,000,000 rounds): ")
        .contains(a.cpuMillis() + " ms CPU")
        .contains(String.format(java.util.Locale.ROOT, "machine    memory: %.0f ns per dependent load over 64 MB before the run, %.0f after",
            a.memoryNanosPerLoad(), b.memoryNanosPerLoad()))
        .contains("took 0.4% of the CPUs' time");
    assertThat(MachineSpeed.report(a, b, -1)).as("steal unknown: not printed").doesNotContain("steal");
  }
}
