package io.lodge.ingester.validate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GoByteSizeTest {
  @Test
  void largestExactPowerOf1024Unit() {
    assertThat(GoByteSize.format(0)).isEqualTo("0B");
    assertThat(GoByteSize.format(3L << 20)).isEqualTo("3MB");
    assertThat(GoByteSize.format(15L << 20)).isEqualTo("15MB");
    assertThat(GoByteSize.format(1536L << 10)).isEqualTo("1536KB");
    assertThat(GoByteSize.format(1024)).isEqualTo("1KB");
    assertThat(GoByteSize.format(1000)).isEqualTo("1000B");
    assertThat(GoByteSize.format(1L << 30)).isEqualTo("1GB");
    assertThat(GoByteSize.format((1L << 20) + 1)).isEqualTo("1048577B");
  }
}
