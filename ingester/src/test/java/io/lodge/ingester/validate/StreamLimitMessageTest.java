package io.lodge.ingester.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.validate.StreamLimitMessage.IgnoredEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamLimitMessageTest {
  static final long T = Instant.parse("2024-01-02T03:04:05Z").getEpochSecond() * 1_000_000_000L;
  static final LabelSet S = LabelSet.of("app", "web", "env", "prod");

  @Test
  void streamLimit() {
    assertThat(StreamLimitMessage.streamLimit(S, "t1")).isEqualTo("Maximum active stream limit exceeded when trying to "
        + "create stream {app=\"web\", env=\"prod\"}, reduce the number of active streams (reduce labels or reduce label "
        + "values), or contact your Loki administrator to see if the limit can be increased, user: 't1'");
  }

  @Test
  void tooFarBehind() {
    assertThat(StreamLimitMessage.tooFarBehind(T, T + 3_600_000_000_000L + 5))
        .isEqualTo("entry too far behind, entry timestamp is: 2024-01-02T03:04:05Z, oldest acceptable timestamp is: "
            + "2024-01-02T04:04:05Z");
  }

  @Test
  void reportListsAtMostTenEntries() {
    List<IgnoredEntry> ignored = new ArrayList<>();
    for (int i = 0; i < 12; i++) ignored.add(new IgnoredEntry(T + i * 500_000_000L, "r" + i));
    String report = StreamLimitMessage.ingesterReport("t1", S, ignored, 20);
    String[] lines = report.split("\n");
    assertThat(lines).hasSize(11);
    assertThat(lines[0]).isEqualTo("entry with timestamp 2024-01-02 03:04:05 +0000 UTC ignored, reason: 'r0',");
    assertThat(lines[1]).isEqualTo("entry with timestamp 2024-01-02 03:04:05.5 +0000 UTC ignored, reason: 'r1',");
    assertThat(lines[10]).isEqualTo("user 't1', total ignored: 12 out of 20 for stream: {app=\"web\", env=\"prod\"}");
  }

  @Test
  void reportWithOneEntry() {
    String reason = StreamLimitMessage.tooFarBehind(T, T + 1_000_000_000L);
    assertThat(StreamLimitMessage.ingesterReport("t", S, List.of(new IgnoredEntry(T, reason)), 1))
        .isEqualTo("entry with timestamp 2024-01-02 03:04:05 +0000 UTC ignored, reason: '" + reason + "',\n"
            + "user 't', total ignored: 1 out of 1 for stream: {app=\"web\", env=\"prod\"}");
  }
}
