package io.lodge.ingester.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteArrayPoolTest {
  @Test
  void pooledSizesComeBackUpToTheirByteCapOtherSizesNever() {
    ByteArrayPool pool = new ByteArrayPool(1 << 10, 1 << 12, new int[] {2 << 10, 1 << 11, 4 << 12});
    byte[] a = pool.take(1 << 10);
    byte[] b = pool.take(1 << 10);
    byte[] c = pool.take(1 << 10);
    pool.give(a);
    pool.give(b);
    pool.give(c); // the 1 KiB class keeps 2 KiB: two arrays
    assertThat(pool.pooled()).isEqualTo(2);
    assertThat(pool.isPooled(a)).isTrue();
    assertThat(pool.isPooled(c)).isFalse();
    assertThat(pool.take(1 << 10)).isSameAs(a);
    byte[] odd = pool.take(3000);
    assertThat(odd).hasSize(3000);
    pool.give(odd);
    byte[] big = pool.take(1 << 13);
    pool.give(big);
    assertThat(pool.isPooled(odd)).isFalse();
    assertThat(pool.isPooled(big)).isFalse();
    pool.clear();
    assertThat(pool.pooled()).isZero();
  }

  @Test
  void roundUpGivesThePooledSizeThatHoldsARequest() {
    ByteArrayPool pool = new ByteArrayPool(1 << 16, 1 << 20, new int[] {1, 1, 1, 1, 1});
    assertThat(pool.roundUp(0)).isEqualTo(1 << 16);
    assertThat(pool.roundUp(1)).isEqualTo(1 << 16);
    assertThat(pool.roundUp(1 << 16)).isEqualTo(1 << 16);
    assertThat(pool.roundUp((1 << 16) + 1)).isEqualTo(1 << 17);
    assertThat(pool.roundUp(1 << 20)).isEqualTo(1 << 20);
    assertThat(pool.roundUp((1 << 20) + 1)).isEqualTo((1 << 20) + 1);
  }

  @Test
  void sizesMustBePowersOfTwoWithACapEach() {
    assertThatThrownBy(() -> new ByteArrayPool(1000, 4096, new int[] {1, 1, 1})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ByteArrayPool(1024, 4096, new int[] {1, 1})).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 size classes");
  }
}
