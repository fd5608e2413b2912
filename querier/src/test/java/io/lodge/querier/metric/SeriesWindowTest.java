package io.lodge.querier.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.ingester.model.LabelSet;
import org.junit.jupiter.api.Test;

/**
 * A counting window gives the count and integral sum a sample window gives, merges slices the same way,
 * drops its samples all at once and refuses to drop part of them.
 */
class SeriesWindowTest {
  private static final LabelSet L = LabelSet.of("app", "a");

  @Test
  void countingWindowAgreesWithTheSampleWindow() {
    SeriesWindow samples = new SeriesWindow(L);
    SeriesWindow counting = SeriesWindow.counting(L);
    SeriesWindow laterSamples = new SeriesWindow(L);
    SeriesWindow laterCounting = SeriesWindow.counting(L);
    for (int i = 1; i <= 100; i++) {
      samples.add(i, i * 3);
      counting.add(i, i * 3);
      laterSamples.add(100 + i, 7);
      laterCounting.add(100 + i, 7);
    }
    samples.addAll(laterSamples);
    counting.addAll(laterCounting);
    assertThat(counting.count()).isEqualTo(samples.size()).isEqualTo(200);
    assertThat(counting.integralSum()).isEqualTo(samples.integralSum()).isEqualTo(3 * 5050 + 700);
    assertThat(RangeFunctions.apply(io.lodge.querier.logql.ast.RangeAggregationExpr.RangeOp.RATE, counting, 10_000_000_000L, false, 0))
        .isEqualTo(20.0);

    counting.evictUpTo(0); // before its span: nothing goes
    assertThat(counting.count()).isEqualTo(200);
    assertThatThrownBy(() -> counting.evictUpTo(150)).isInstanceOf(IllegalStateException.class).hasMessageContaining("part");
    counting.evictUpTo(200); // its whole span: everything goes
    assertThat(counting.isEmpty()).isTrue();
    assertThat(counting.integralSum()).isZero();
    counting.add(300, 5);
    counting.evictUpTo(299);
    assertThat(counting.count()).isEqualTo(1);
    assertThatThrownBy(() -> counting.value(0)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(counting::size).isInstanceOf(IllegalStateException.class);
  }
}
