package io.lodge.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DirectMemoryTest {
  @Test
  void theFlagWinsAndZeroOrAbsentMeansTheMaximumHeap() {
    assertThat(DirectMemory.fromOption("268435456", 1L << 30)).isEqualTo(256L << 20);
    assertThat(DirectMemory.fromOption("0", 1L << 30)).isEqualTo(1L << 30);
    assertThat(DirectMemory.fromOption(null, 1L << 30)).isEqualTo(1L << 30);
  }

  @Test
  void thisJvmsCapIsPositiveAndAtLeastItsDefault() {
    // the test JVM sets no -XX:MaxDirectMemorySize: the JDK's default, the maximum heap
    assertThat(DirectMemory.max()).isEqualTo(Runtime.getRuntime().maxMemory());
  }
}
