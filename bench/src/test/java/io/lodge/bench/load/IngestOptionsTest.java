package io.lodge.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The number of pushes an open-loop window sends is exactly the number of slots the senders find due. */
class IngestOptionsTest {
  private static IngestOptions openLoop(long rate, int linesPerPush, Duration duration) {
    return new IngestOptions(URI.create("http://127.0.0.1:3100"), 10, linesPerPush, 1, Duration.ZERO, duration, rate, 1, 1,
        null, 1, null, 0, true, false, Duration.ZERO, true);
  }

  /** What the senders do: push k is sent when {@code (long) (k * interval)} falls inside the window. */
  private static long slotsSent(IngestOptions o) {
    long k = 0;
    while ((long) (k * o.intervalNanos()) < o.duration().toNanos()) k++;
    return k;
  }

  @Test
  void measuredBodiesMatchTheSlotsTheSendersFindDue() {
    assertThat(openLoop(10_000, 500, Duration.ofMillis(1500)).measuredBodies()).isEqualTo(30);
    // 3 pushes a second, due at 0, 1/3 and 2/3 s; the fourth at 3 x (1e9 / 3) rounds to the window's end
    assertThat(openLoop(3, 1, Duration.ofSeconds(1)).measuredBodies()).isEqualTo(3);
    for (long rate : new long[] {1, 3, 7, 999, 1_000_000, 1_234_567}) {
      for (int lines : new int[] {1, 3, 1000}) {
        for (long ms : new long[] {1, 999, 1000, 1001, 30_000}) {
          IngestOptions o = openLoop(rate, lines, Duration.ofMillis(ms));
          assertThat(o.measuredBodies()).as("rate %d, %d lines, %d ms", rate, lines, ms).isEqualTo(slotsSent(o));
        }
      }
    }
    assertThat(openLoop(0, 1000, Duration.ofSeconds(1)).measuredBodies()).isZero();
  }
}
