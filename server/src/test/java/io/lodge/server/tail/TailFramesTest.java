package io.lodge.server.tail;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.server.tail.TailFrames.Dropped;
import io.lodge.server.tail.TailFrames.Entry;
import io.lodge.server.tail.TailFrames.Format;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three message shapes of LOKI-COMPAT 2.7, byte for byte. */
class TailFramesTest {
  private static final LabelSet APP = LabelSet.of("app", "foo");
  private static final Entry PLAIN = new Entry(1_700_000_000_123_456_789L, APP, List.of(), List.of(),
      "a <b> & c".getBytes(StandardCharsets.UTF_8));
  private static final Entry META = new Entry(1_700_000_001_000_000_000L, APP, List.of(new Label("trace_id", "t1")),
      List.of(new Label("level", "info")), "second".getBytes(StandardCharsets.UTF_8));

  private static String encode(Format f, List<Entry> entries, List<Dropped> dropped) {
    return new String(TailFrames.encode(f, entries, dropped), StandardCharsets.UTF_8);
  }

  @Test
  void v1() {
    assertThat(encode(Format.V1, List.of(PLAIN, META), List.of(new Dropped(5, APP)))).isEqualTo(
        "{\"streams\":[{\"stream\":{\"app\":\"foo\"},\"values\":[[\"1700000000123456789\",\"a \\u003cb\\u003e \\u0026 c\"]]},"
            + "{\"stream\":{\"app\":\"foo\",\"level\":\"info\",\"trace_id\":\"t1\"},\"values\":[[\"1700000001000000000\",\"second\"]]}],"
            + "\"dropped_entries\":[{\"timestamp\":\"5\",\"labels\":{\"app\":\"foo\"}}]}");
    assertThat(encode(Format.V1, List.of(), List.of())).isEqualTo("{\"streams\":[]}");
  }

  @Test
  void categorized() {
    assertThat(encode(Format.CATEGORIZED, List.of(PLAIN, META), List.of())).isEqualTo(
        "{\"streams\":[{\"stream\":{\"app\":\"foo\"},\"values\":[[\"1700000000123456789\",\"a \\u003cb\\u003e \\u0026 c\",{}],"
            + "[\"1700000001000000000\",\"second\",{\"structuredMetadata\":{\"trace_id\":\"t1\"},\"parsed\":{\"level\":\"info\"}}]]}],"
            + "\"encodingFlags\":[\"categorize-labels\"]}");
  }

  @Test
  void legacy() {
    assertThat(encode(Format.LEGACY, List.of(PLAIN), List.of(new Dropped(1_700_000_000_000_000_000L, APP)))).isEqualTo(
        "{\"streams\":[{\"labels\":\"{app=\\\"foo\\\"}\",\"entries\":[{\"ts\":\"2023-11-14T22:13:20.123456789Z\","
            + "\"line\":\"a \\u003cb\\u003e \\u0026 c\"}]}],"
            + "\"dropped_entries\":[{\"timestamp\":\"2023-11-14T22:13:20Z\",\"labels\":\"{app=\\\"foo\\\"}\"}]}");
  }

  @Test
  void rfc3339NanoTrimsTrailingZerosLikeGo() {
    assertThat(TailFrames.rfc3339Nano(0)).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(TailFrames.rfc3339Nano(1_500_000_000L)).isEqualTo("1970-01-01T00:00:01.5Z");
    assertThat(TailFrames.rfc3339Nano(1_000_000_001L)).isEqualTo("1970-01-01T00:00:01.000000001Z");
    assertThat(TailFrames.rfc3339Nano(-1)).isEqualTo("1969-12-31T23:59:59.999999999Z");
  }
}
