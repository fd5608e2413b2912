package io.lodge.ingester.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class GoTimeTest {
  private static final long T = Instant.parse("2024-01-02T03:04:05Z").getEpochSecond() * 1_000_000_000L;

  @Test
  void rfc3339DropsTheFraction() {
    assertThat(GoTime.rfc3339(T)).isEqualTo("2024-01-02T03:04:05Z");
    assertThat(GoTime.rfc3339(T + 999_999_999)).isEqualTo("2024-01-02T03:04:05Z");
    assertThat(GoTime.rfc3339(Instant.parse("2030-12-31T23:59:59.5Z"))).isEqualTo("2030-12-31T23:59:59Z");
  }

  @Test
  void rfc3339NanoTrimsTrailingZeros() {
    assertThat(GoTime.rfc3339Nano(T)).isEqualTo("2024-01-02T03:04:05Z");
    assertThat(GoTime.rfc3339Nano(T + 100_000_000)).isEqualTo("2024-01-02T03:04:05.1Z");
    assertThat(GoTime.rfc3339Nano(T + 1)).isEqualTo("2024-01-02T03:04:05.000000001Z");
    assertThat(GoTime.rfc3339Nano(T + 123_456_780)).isEqualTo("2024-01-02T03:04:05.12345678Z");
  }

  @Test
  void stringIsGoTimeStringInUtc() {
    assertThat(GoTime.string(T)).isEqualTo("2024-01-02 03:04:05 +0000 UTC");
    assertThat(GoTime.string(T + 120_000_000)).isEqualTo("2024-01-02 03:04:05.12 +0000 UTC");
    assertThat(GoTime.string(0)).isEqualTo("1970-01-01 00:00:00 +0000 UTC");
  }

  @Test
  void timesBeforeTheEpochFloorToTheSecond() {
    assertThat(GoTime.rfc3339Nano(-1)).isEqualTo("1969-12-31T23:59:59.999999999Z");
    assertThat(GoTime.rfc3339(-1)).isEqualTo("1969-12-31T23:59:59Z");
  }
}
