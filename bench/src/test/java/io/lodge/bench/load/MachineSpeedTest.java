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
    assertThat(MachineSpeed.report(a, b)).startsWith("machine    a fixed single-thread loop (200,000,000 rounds): ")
        .contains(a.cpuMillis() + " ms CPU");
  }
}
