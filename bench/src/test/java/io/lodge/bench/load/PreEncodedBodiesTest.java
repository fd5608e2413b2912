package io.lodge.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.proto.logproto.PushRequest;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/**
 * Pre-encoded bodies: every slot's body is there once, stamped with the wall time its slot is due, the
 * same whichever of several encoder threads made it; a run that would not fit in memory is refused
 * before anything is encoded.
 */
class PreEncodedBodiesTest {
  private static final LoghubLines DATA = LoghubLines.load(LoghubLines.locate(null));
  private static final long FIRST = 1_700_000_000_000_000_000L;

  private static PushBodyGenerator generator() {
    String[] labels = new String[20];
    int[] systems = new int[20];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = IngestRun.streamLabels(DATA, i);
      systems[i] = i % DATA.systemCount();
    }
    return new PushBodyGenerator(DATA, labels, systems, 100, 4, 7, () -> 0);
  }

  @Test
  void everySlotHoldsItsOwnBodyOnce() throws Exception {
    int count = 200;
    try (PreEncodedBodies bodies = new PreEncodedBodies(k -> generator(), 3, count, FIRST, 2_000_000.0, Long.MAX_VALUE)) {
      bodies.awaitAll();
      assertThat(bodies.encoded()).isEqualTo(count);
      assertThat(bodies.readyNanos()).isPositive();
      PushBodyGenerator reference = generator();
      for (int slot = 0; slot < count; slot++) {
        PushBody b = bodies.take(slot);
        assertThat(b.body()).isEqualTo(reference.body(slot, FIRST + slot * 2_000_000L).body());
        assertThat(firstTimestamp(b)).isEqualTo(FIRST + slot * 2_000_000L);
        assertThat(bodies.poll(slot)).as("a sent body is dropped").isNull();
      }
      assertThat(bodies.poll(count)).isNull();
      assertThatThrownBy(() -> bodies.take(count)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aRunThatWouldNotFitInMemoryIsRefusedUpFront() {
    assertThatThrownBy(() -> new PreEncodedBodies(k -> generator(), 2, 1_000_000, FIRST, 1e6, 64L << 20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--pre-encode would hold 1,000,000 bodies")
        .hasMessageContaining("64 MB to spare");
  }

  private static long firstTimestamp(PushBody b) throws IOException {
    var ts = PushRequest.parseFrom(Snappy.uncompress(b.body())).getStreams(0).getEntries(0).getTimestamp();
    return ts.getSeconds() * 1_000_000_000L + ts.getNanos();
  }
}
