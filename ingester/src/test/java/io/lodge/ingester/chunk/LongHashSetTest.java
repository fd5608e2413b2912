package io.lodge.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongHashSetTest {
  private static Set<Long> contents(LongHashSet set) {
    Set<Long> out = new HashSet<>();
    set.forEach(v -> assertThat(out.add(v)).as("visited once: " + v).isTrue());
    return out;
  }

  @Test
  void reusedAcrossBlocksOfVeryDifferentSizesItHoldsExactlyWhatWasAdded() {
    SplittableRandom r = new SplittableRandom(5);
    LongHashSet set = new LongHashSet(16);
    // big blocks grow the table; small ones after them take the sparse clear; values repeat, and small
    // value ranges make long probe chains that the sparse clear must walk through zeroed slots
    int[] sizes = {50_000, 10, 3_000, 1, 0, 40_000, 200, 7, 65_536, 33};
    for (int round = 0; round < sizes.length; round++) {
      set.clear(Math.min(1 << 16, 4 * sizes[round]));
      Set<Long> want = new HashSet<>();
      boolean narrow = round % 2 == 1;
      for (int i = 0; i < sizes[round]; i++) {
        long v = narrow ? r.nextLong(64) : r.nextLong();
        set.add(v);
        want.add(v);
        if (i % 3 == 0) set.add(v); // duplicates change nothing
      }
      assertThat(set.size()).as("round " + round).isEqualTo(want.size());
      assertThat(contents(set)).as("round " + round).isEqualTo(want);
      for (long v : want) assertThat(set.contains(v)).isTrue();
      assertThat(set.contains(narrow ? 64 : Long.MIN_VALUE + 12345)).isFalse();
    }
  }

  @Test
  void aClearedSetIsEmptyWhicheverWayItWasCleared() {
    LongHashSet set = new LongHashSet(1 << 14);
    for (long v = 1; v <= 20_000; v++) set.add(v * 0x9E3779B97F4A7C15L);
    set.clear(16); // dense: many values
    assertThat(set.size()).isZero();
    assertThat(contents(set)).isEmpty();
    for (long v = 1; v <= 5; v++) set.add(v);
    set.add(0);
    assertThat(set.size()).isEqualTo(6);
    set.clear(16); // sparse: five values in a table of 64 K slots
    assertThat(set.size()).isZero();
    assertThat(set.contains(0)).isFalse();
    for (long v = 1; v <= 5; v++) assertThat(set.contains(v)).isFalse();
    for (long v = 1; v <= 20_000; v++) assertThat(set.contains(v * 0x9E3779B97F4A7C15L)).isFalse();
  }
}
