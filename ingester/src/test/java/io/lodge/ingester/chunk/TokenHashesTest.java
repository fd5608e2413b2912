package io.lodge.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TokenHashesTest {
  /** {@code distinct} random hashes, each appended {@code 1 + repeats} times in a shuffled order. */
  private static TokenHashes filled(long seed, int distinct, int repeats) {
    SplittableRandom r = new SplittableRandom(seed);
    long[] values = new long[distinct];
    for (int i = 0; i < distinct; i++) values[i] = r.nextLong();
    int total = distinct * (1 + repeats);
    long[] all = new long[total];
    for (int i = 0; i < total; i++) all[i] = values[i % distinct];
    for (int i = total - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      long t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    TokenHashes h = new TokenHashes();
    for (long v : all) h.add(v);
    return h;
  }

  @Test
  void noHashesIsExactlyZero() {
    TokenHashes h = new TokenHashes();
    assertThat(h.distinctEstimate()).isZero();
    h.add(42);
    h.clear();
    assertThat(h.size()).isZero();
    assertThat(h.distinctEstimate()).isZero();
  }

  @Test
  void oneHashRepeatedIsOne() {
    TokenHashes h = new TokenHashes();
    for (int i = 0; i < 10_000; i++) h.add(0x1234_5678_9ABC_DEF0L);
    assertThat(h.size()).isEqualTo(10_000);
    assertThat(h.distinctEstimate()).isEqualTo(1);
  }

  /**
   * Linear counting at a load of at most 1/8: the relative standard error is about 0.26 / sqrt(n), so
   * five of them plus two tokens of rounding bound every estimate here.
   */
  @Property(tries = 200)
  void estimateIsWithinFiveStandardErrors(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40_000) int distinct,
      @ForAll @IntRange(min = 0, max = 3) int repeats) {
    TokenHashes h = filled(seed, distinct, repeats);
    int estimate = h.distinctEstimate();
    double bound = 2 + 5 * 0.26 * Math.sqrt(distinct);
    assertThat((double) estimate).as("%d distinct, %d appended", distinct, h.size())
        .isBetween(distinct - bound, distinct + bound);
    assertThat(estimate).isBetween(1, h.size());
  }

  @Test
  void aLoghubSizedBlockIsEstimatedWithinOnePercent() {
    for (long seed = 1; seed <= 20; seed++) {
      TokenHashes h = filled(seed, 4_500, 1); // ~4,500 distinct of ~6,500 hashes in a 256 KiB block
      assertThat(Math.abs(h.distinctEstimate() - 4_500)).isLessThan(45); // 5 standard errors
    }
  }

  @Test
  void theSameHashesGiveTheSameEstimateAfterReuse() {
    TokenHashes a = filled(7, 30_000, 2);
    int first = a.distinctEstimate();
    TokenHashes reused = filled(8, 100_000, 0); // grows its arrays first
    reused.distinctEstimate();
    reused.clear();
    for (int i = 0; i < a.size(); i++) reused.add(a.get(i));
    assertThat(reused.distinctEstimate()).isEqualTo(first);
    assertThat(a.distinctEstimate()).isEqualTo(first);
  }
}
