package io.lodge.ingester.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorGroupingTest {
  @Test
  void oneFailureIsTheMessageAlone() {
    assertThat(ErrorGrouping.format(List.of("boom"))).isEqualTo("boom");
  }

  @Test
  void severalFailuresAreGroupedInFirstOccurrenceOrder() {
    assertThat(ErrorGrouping.format(List.of("b", "a", "b", "c", "b")))
        .isEqualTo("3 errors like: b; 1 errors like: a; 1 errors like: c");
  }

  @Test
  void twoIdenticalFailuresAreOneGroup() {
    assertThat(ErrorGrouping.format(List.of("x", "x"))).isEqualTo("2 errors like: x");
  }

  @Test
  void noFailuresIsEmpty() {
    assertThat(ErrorGrouping.format(List.of())).isEmpty();
  }
}
