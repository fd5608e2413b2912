package io.lodge.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuStealTest {
  @Test
  void readsTotalAndStealFromTheFirstLineOfProcStat() {
    // user nice system idle iowait irq softirq steal guest guest_nice: guest is already inside user
    CpuSteal before = CpuSteal.parse("cpu  3122052 0 357181 3707277 56602 0 26521 41199 900 0").orElseThrow();
    assertThat(before.totalTicks()).isEqualTo(3122052L + 357181 + 3707277 + 56602 + 26521 + 41199);
    assertThat(before.stealTicks()).isEqualTo(41199);
    CpuSteal after = new CpuSteal(before.totalTicks() + 1000, before.stealTicks() + 25);
    assertThat(after.percentSince(before)).isEqualTo(2.5);
    assertThat(before.percentSince(before)).as("no time passed").isEqualTo(-1);
  }

  @Test
  void otherLinesAreNotUnderstood() {
    assertThat(CpuSteal.parse("cpu0 1548382 0 177361 1887107 13840 0 8833 20452 0 0")).isEmpty();
    assertThat(CpuSteal.parse("cpu 1 2 3")).isEmpty();
  }

  @Test
  void aLinuxMachineHasAReading() {
    if (!java.nio.file.Files.exists(java.nio.file.Path.of("/proc/stat"))) return;
    assertThat(CpuSteal.sample()).hasValueSatisfying(s -> assertThat(s.totalTicks()).isPositive());
  }
}
