package io.lodge.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The multiply-based remainder against {@link Long#remainderUnsigned}. */
class UnsignedModuloTest {
  @Property(tries = 2000)
  void equalsTheDivisionForEveryNumerator(@ForAll("divisors") long divisor, @ForAll("numerators") long x) {
    UnsignedModulo m = new UnsignedModulo(divisor);
    assertThat(m.mod(x)).as("%s mod %s", Long.toUnsignedString(x), divisor).isEqualTo(Long.remainderUnsigned(x, divisor));
  }

  @Test
  void edgeNumeratorsForFilterSizedAndExtremeDivisors() {
    long[] divisors = {2, 3, 7, 63, 64, 65, 64L * 3, 64L * 1000, 64L * 134_217_727, (1L << 32) - 1, 1L << 32,
        (1L << 32) + 1, (1L << 61) + 1, UnsignedModulo.MAX_DIVISOR - 1, UnsignedModulo.MAX_DIVISOR};
    long[] xs = {0, 1, 2, 63, 64, 65, Integer.MAX_VALUE, 0xFFFF_FFFFL, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE,
        Long.MIN_VALUE + 1, -2L, -1L};
    for (long d : divisors) {
      UnsignedModulo m = new UnsignedModulo(d);
      for (long x : xs) {
        for (long near : new long[] {x, d, d - 1, d + 1, 2 * d, 2 * d - 1, x - d, x + d}) {
          assertThat(m.mod(near)).as("%s mod %s", Long.toUnsignedString(near), Long.toUnsignedString(d))
              .isEqualTo(Long.remainderUnsigned(near, d));
        }
      }
    }
  }

  @Test
  void refusesDivisorsOutsideItsRange() {
    assertThatThrownBy(() -> new UnsignedModulo(1)).hasMessageContaining("in [2, 2^62], got 1");
    assertThatThrownBy(() -> new UnsignedModulo(0)).hasMessageContaining("in [2, 2^62], got 0");
    assertThatThrownBy(() -> new UnsignedModulo(-1)).hasMessageContaining("got 18446744073709551615");
    assertThatThrownBy(() -> new UnsignedModulo(UnsignedModulo.MAX_DIVISOR + 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Provide
  Arbitrary<Long> divisors() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(1, 2_000_000).map(w -> 64 * w), // filter sizes: 64 bits per word
        Arbitraries.longs().between(2, UnsignedModulo.MAX_DIVISOR),
        Arbitraries.longs().between(2, 1L << 34));
  }

  @Provide
  Arbitrary<Long> numerators() {
    return Arbitraries.longs().withDistribution(net.jqwik.api.RandomDistribution.uniform());
  }
}
