package io.lodge.ingester.chunk;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link TimestampColumn} round trips sorted timestamps of every delta width (equal ones, whole seconds,
 * nanoseconds, spans near the whole long range, where the fast decode must step aside), and a column with
 * a changed byte either decodes to sorted timestamps from the min to the max or fails with a
 * {@link ChunkFormatException}: never a wrong last timestamp, never another exception.
 */
class TimestampColumnTest {
  @Property(tries = 300)
  void roundTripsAndRejectsCorruptDeltas(@ForAll long seed) {
    Random r = new Random(seed);
    int n = 1 + r.nextInt(r.nextBoolean() ? 5 : 2000);
    long[] ts = new long[n];
    long start = r.nextLong();
    long unit = switch (r.nextInt(4)) {
      case 0 -> 1;
      case 1 -> 1_000_000;
      case 2 -> 1_000_000_000;
      default -> 0; // huge deltas
    };
    ts[0] = unit == 0 ? Long.MIN_VALUE + r.nextInt(1000) : start / 4;
    for (int i = 1; i < n; i++) {
      long d = unit == 0 ? (r.nextBoolean() ? Long.MAX_VALUE / n : 0) : r.nextInt(4) == 0 ? 0 : (1 + r.nextInt(1 << (1 + r.nextInt(24)))) * unit;
      ts[i] = ts[i - 1] + d;
    }
    ByteSink sink = new ByteSink(16);
    TimestampColumn.encode(ts, n, sink);
    byte[] raw = Arrays.copyOf(sink.array(), sink.size());
    long[] out = new long[n];
    TimestampColumn.decode(raw, raw.length, n, ts[0], ts[n - 1], out, 0, "test");
    assertThat(out).isEqualTo(ts);

    if (raw.length <= 2) return;
    byte[] bad = raw.clone();
    int at = 1 + r.nextInt(bad.length - 1);
    bad[at] ^= (byte) (1 << r.nextInt(8));
    long[] got = new long[n];
    try {
      TimestampColumn.decode(bad, bad.length, n, ts[0], ts[n - 1], got, 0, "test");
      // a change that keeps the sum (two deltas traded) is not detectable: still sorted, still min to max
      assertThat(got[0]).isEqualTo(ts[0]);
      assertThat(got[n - 1]).isEqualTo(ts[n - 1]);
      for (int i = 1; i < n; i++) assertThat(Long.compareUnsigned(got[i] - ts[0], got[i - 1] - ts[0])).isGreaterThanOrEqualTo(0);
    } catch (ChunkFormatException e) {
      assertThat(e.getMessage()).containsAnyOf("timestamp delta", "timestamps column", "timestamp scale", "timestamp planes",
          "timestamp width");
    }
  }

  @Property(tries = 50)
  void aDeltaTooBigIsReportedWhereItIs(@ForAll long seed) {
    Random r = new Random(seed);
    int n = 3 + r.nextInt(500);
    long[] ts = new long[n];
    ts[0] = 1_700_000_000_000_000_000L;
    for (int i = 1; i < n; i++) ts[i] = ts[i - 1] + 1 + r.nextInt(1000);
    ByteSink sink = new ByteSink(16);
    TimestampColumn.encode(ts, n, sink);
    byte[] raw = Arrays.copyOf(sink.array(), sink.size());
    // the same column claimed for a shorter span: some delta runs past the max
    long max = ts[0] + (ts[n - 1] - ts[0]) / 2;
    assertThatThrownBy(() -> TimestampColumn.decode(raw, raw.length, n, ts[0], max, new long[n], 0, "test"))
        .isInstanceOf(ChunkFormatException.class).hasMessageContaining("timestamp delta");
  }
}
