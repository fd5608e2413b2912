package io.lodge.ingester.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class UnixNanosTest {
  @Test
  void instantsBecomeNanosecondsSinceTheEpochOnBothSidesOfIt() {
    assertThat(UnixNanos.of(Instant.parse("2026-12-31T23:59:59.999999999Z"))).isEqualTo(1_798_761_599_999_999_999L);
    assertThat(UnixNanos.of(Instant.EPOCH)).isZero();
    assertThat(UnixNanos.of(Instant.parse("1969-12-31T23:59:59.5Z"))).isEqualTo(-500_000_000L);
    long before = UnixNanos.of(Instant.now());
    assertThat(UnixNanos.now()).isGreaterThanOrEqualTo(before - 1_000_000_000L);
  }
}
