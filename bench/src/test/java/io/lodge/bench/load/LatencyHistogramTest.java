package io.lodge.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Quantiles against a sorted-array oracle: never below the exact value, at most 1/32 above it. */
class LatencyHistogramTest {
  @Property(tries = 300)
  void quantilesAreWithinTheBucketError(@ForAll @Size(min = 1, max = 200) List<@LongRange(min = 0, max = 100_000_000) Long> values,
      @ForAll @DoubleRange(min = 0.0, max = 1.0) double q) {
    LatencyHistogram h = new LatencyHistogram();
    values.forEach(h::record);
    long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
    long exact = sorted[(int) Math.max(0, Math.ceil(q * sorted.length) - 1)];
    long got = h.quantile(q);
    assertThat(got).isGreaterThanOrEqualTo(exact);
    assertThat(got).isLessThanOrEqualTo(exact + exact / 32 + 1);
    assertThat(h.max()).isEqualTo(Arrays.stream(sorted).max().getAsLong());
    assertThat(h.count()).isEqualTo(values.size());
  }

  @Property(tries = 1000)
  void bucketBoundsAreContiguous(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long v) {
    int i = LatencyHistogram.index(v);
    assertThat(v).isLessThanOrEqualTo(LatencyHistogram.upperBound(i));
    if (i > 0) assertThat(v).isGreaterThan(LatencyHistogram.upperBound(i - 1));
  }
}
