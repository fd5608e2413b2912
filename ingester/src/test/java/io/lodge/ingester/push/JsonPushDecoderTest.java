package io.lodge.ingester.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class JsonPushDecoderTest {
  private final JsonPushDecoder decoder = new JsonPushDecoder(new ServiceNameDiscovery(List.of()));

  private PushRequest v1(String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return decoder.decode(PushApi.V1, b, 0, b.length);
  }

  private PushRequest legacy(String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return decoder.decode(PushApi.LEGACY, b, 0, b.length);
  }

  @Test
  void decodesTheV1Shape() {
    PushRequest r = v1("""
        {"streams": [
          {"stream": {"app": "web", "env": "prod"},
           "values": [
             ["1700000000123456789", "a log line"],
             ["1700000000223456789", "another \\"quoted\\" é \\u00e9", {"trace_id": "0242ac120002", "user_id": "u1"}]
           ]}
        ]}""");
    assertThat(r.streams()).hasSize(1);
    assertThat(r.streams().get(0).labels().canonical()).isEqualTo("{app=\"web\", env=\"prod\"}");
    assertThat(r.streams().get(0).entries()).containsExactly(
        LogEntry.of(1700000000123456789L, "a log line"),
        LogEntry.of(1700000000223456789L, "another \"quoted\" é é",
            List.of(new Label("trace_id", "0242ac120002"), new Label("user_id", "u1"))));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // body | canonical labels | entry count
      "{\"streams\":[]}||0",
      "{}||0",
      "{\"streams\":null}||0",
      "{\"other\":{\"deep\":[1,2,{\"x\":null}]},\"streams\":[{\"stream\":{\"a\":\"b\"},\"values\":null}]}|{a=\"b\"}|0",
      "{\"streams\":[{\"stream\":{\"foo\":1,\"b\":true,\"c\":null,\"d\":1.50}}]}|{b=\"true\", c=\"null\", d=\"1.50\", foo=\"1\"}|0",
      "{\"streams\":[{\"stream\":{\"a\":\"1\",\"a\":\"2\"},\"values\":[]}]}|{a=\"2\"}|0",
      "{\"streams\":[{\"stream\":{\"a\":\"\",\"b\":\"x\"},\"values\":[[\"1\",\"x\"]]}]}|{b=\"x\"}|1",
      "{\"streams\":[{\"values\":[[\"1\"]]}]}|{}|1",
      "{\"streams\":[{\"stream\":{\"a\":\"b\"},\"values\":[[\"1\",\"x\",{},\"ignored\",[1,{}]]]}]}|{a=\"b\"}|1",
      "{\"streams\":[{\"stream\":{\"a\":\"b\"},\"unknown\":{\"x\":[]},\"values\":[[\"-5\",\"x\"]]}]}|{a=\"b\"}|1",
  })
  void acceptsWhatLokiAccepts(String body, String labels, int entries) {
    PushRequest r = v1(body);
    assertThat(r.entryCount()).isEqualTo(entries);
    if (labels == null) {
      assertThat(r.streams()).isEmpty();
    } else {
      assertThat(r.streams().get(0).labels().canonical()).isEqualTo(labels);
    }
  }

  @Test
  void onlyTheFirstTopLevelValueIsReadAsGosDecoderDoes() {
    assertThat(v1("{\"streams\":[{\"values\":[[\"1\",\"x\"]]}]} {\"streams\":[]} garbage").entryCount()).isEqualTo(1);
    assertThat(legacy("{\"streams\":[]}\n]]]").streams()).isEmpty();
  }

  @Test
  void timestampsAreDecimalNanosecondStrings() {
    assertThat(v1("{\"streams\":[{\"values\":[[\"-\",\"x\"]]}]}").streams().get(0).entries().get(0).timestampNanos())
        .isZero(); // jsonparser's quirk: a lone minus sign is 0
    assertThat(v1("{\"streams\":[{\"values\":[[\"-9223372036854775808\",\"x\"]]}]}").streams().get(0).entries()
        .get(0).timestampNanos()).isEqualTo(Long.MIN_VALUE);
    assertThat(v1("{\"streams\":[{\"values\":[[\"9223372036854775807\"]]}]}").streams().get(0).entries()
        .get(0).timestampNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(v1("{\"streams\":[{\"values\":[[\"1\"]]}]}").streams().get(0).entries().get(0).line()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[[1700000000, \"x\"]]|values[0][0]: the timestamp must be a JSON string of Unix nanoseconds, got a number",
      "[[\"1570818238.5\", \"x\"]]|values[0][0]: timestamp \"1570818238.5\" is not an integer of Unix nanoseconds",
      "[[\"1e9\", \"x\"]]|values[0][0]: timestamp \"1e9\" is not an integer",
      "[[\"\", \"x\"]]|values[0][0]: empty timestamp",
      "[[\" 1\", \"x\"]]|is not an integer",
      "[[\"9223372036854775808\", \"x\"]]|overflows int64 nanoseconds",
      "[[\"-9223372036854775809\", \"x\"]]|overflows int64 nanoseconds",
      "[[\"1\", 5]]|values[0][1]: the line must be a JSON string, got a number",
      "[[\"1\", \"x\", {\"a\": 1}]]|values[0][2]: structured metadata value of \"a\" must be a string, got a number",
      "[[\"1\", \"x\", {\"a\": {\"b\": \"c\"}}]]|structured metadata value of \"a\" must be a string, got an object",
      "[[\"1\", \"x\", [\"a\"]]]|values[0][2]: structured metadata must be an object of strings, got an array",
      "[[\"1\", \"x\", null]]|structured metadata must be an object of strings, got null",
      "[[]]|values[0] is empty",
      "[\"1\"]|values[0] must be an array",
      "{\"a\": 1}|streams[0].values must be an array of entries, got an object",
  })
  void refusesBadV1Entries(String values, String message) {
    assertThatThrownBy(() -> v1("{\"streams\":[{\"stream\":{\"a\":\"b\"},\"values\":" + values + "}]}"))
        .isInstanceOf(PushDecodeException.class)
        .hasMessageStartingWith("invalid JSON push body: ")
        .hasMessageContaining(message)
        .hasMessageContaining("(line 1, column ");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[]|the push body must be a JSON object, got an array",
      "\"x\"|the push body must be a JSON object, got a string",
      "{\"streams\": {}}|\"streams\" must be an array, got an object",
      "{\"streams\": [1]}|streams[0] must be a JSON object, got a number",
      "{\"streams\": [{\"stream\": [\"a\"]}]}|streams[0].stream must be a JSON object, got an array",
      "{\"streams\": [{\"stream\": {\"a\": [1]}}]}|streams[0].stream: value of label \"a\" must be a string, got an array",
      "{\"streams\": [}|Unexpected close marker '}'",
      "{\"streams\": [|Unexpected end-of-input",
      "|the push body must be a JSON object, got end of input",
  })
  void refusesBadV1Documents(String body, String message) {
    assertThatThrownBy(() -> v1(body == null ? "" : body))
        .isInstanceOf(PushDecodeException.class)
        .hasMessageStartingWith("invalid JSON push body: ")
        .hasMessageContaining(message);
  }

  @Test
  void badLabelNamesInTheStreamObjectFailLikeLokisRenderedString() {
    assertThatThrownBy(() -> v1("{\"streams\":[{\"stream\":{\"job.name\":\"x\"},\"values\":[[\"1\",\"x\"]]}]}"))
        .isInstanceOf(LabelsParseException.class)
        .hasMessage("couldn't parse labels: 1:5: parse error: unexpected character inside braces: '.'");
    // Loki decodes the whole body before it parses labels: a later syntax error wins.
    assertThatThrownBy(() -> v1("{\"streams\":[{\"stream\":{\"job.name\":\"x\"}},{\"values\":[[1]]}]}"))
        .hasMessageContaining("streams[1].values[0][0]: the timestamp must be a JSON string");
  }

  @Test
  void replacementCharactersInLabelValuesAreRefusedLikePrometheusLexerDoes() {
    assertThatThrownBy(() -> v1("{\"streams\":[{\"stream\":{\"a\":\"x\uFFFD\"}}]}"))
        .hasMessage("couldn't parse labels: 1:4: parse error: invalid UTF-8 rune");
    assertThatThrownBy(() -> v1("{\"streams\":[{\"stream\":{\"a\":\"x\\ud800\"}}]}"))
        .hasMessage("couldn't parse labels: 1:4: parse error: invalid UTF-8 rune");
  }

  @Test
  void utf16AndByteOrderMarksAreRefusedAsGoDoes() {
    for (byte[] b : List.of(new byte[] {'{', 0, '}', 0}, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'},
        new byte[] {0, 0, 0, '{'})) {
      assertThatThrownBy(() -> decoder.decode(PushApi.V1, b, 0, b.length)).isInstanceOf(PushDecodeException.class)
          .hasMessageContaining("must be UTF-8 JSON");
      assertThatThrownBy(() -> decoder.decode(PushApi.V1, io.netty.buffer.Unpooled.wrappedBuffer(b)))
          .hasMessageContaining("must be UTF-8 JSON");
    }
  }

  @Test
  void deepNestingInIgnoredValuesIsRefusedNotAStackOverflow() {
    String deep = "[".repeat(100_000);
    assertThatThrownBy(() -> v1("{\"x\":" + deep)).isInstanceOf(PushDecodeException.class)
        .hasMessageContaining("nesting depth");
  }

  @Test
  void invalidUtf8IsRefused() {
    byte[] b = "{\"streams\":[{\"values\":[[\"1\",\"\u00ff\"]]}]}".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> decoder.decode(PushApi.V1, b, 0, b.length)).isInstanceOf(PushDecodeException.class)
        .hasMessageContaining("UTF-8");
  }

  @Test
  void unpairedSurrogateEscapesBecomeTheReplacementCharacterInLines() {
    PushRequest r = v1("{\"streams\":[{\"values\":[[\"1\",\"a\\ud800b\\ud83d\\ude00\"]]}]}");
    assertThat(r.streams().get(0).entries().get(0).line())
        .isEqualTo("a\uFFFDb\uD83D\uDE00".getBytes(StandardCharsets.UTF_8));
  }

  // ---- legacy shape -----------------------------------------------------------------------------

  @Test
  void decodesTheLegacyShape() {
    PushRequest r = legacy("""
        {"streams":[{"labels":"{foo=\\"bar\\"}","entries":[
          {"ts":"2019-09-13T18:32:22.380001319Z","line":"x","structuredMetadata":{"a":"1"}},
          {"TS":"2019-09-13T20:32:22.1+02:00","Line":"y","structuredMetadata":[{"name":"b","value":"2"}]},
          {"line":"no ts"}]}]}""");
    assertThat(r.streams().get(0).labels().canonical()).isEqualTo("{foo=\"bar\"}");
    assertThat(r.streams().get(0).entries()).containsExactly(
        LogEntry.of(1568399542380001319L, "x", List.of(new Label("a", "1"))),
        LogEntry.of(1568399542100000000L, "y", List.of(new Label("b", "2"))),
        LogEntry.of(Long.MIN_VALUE, "no ts"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"streams\":[{\"labels\":\"{a=\\\"b\\\"}\",\"entries\":[{\"ts\":1}]}]}|entries[0].ts must be an RFC 3339 string",
      "{\"streams\":[{\"labels\":\"{a=\\\"b\\\"}\",\"entries\":[{\"ts\":\"2019-13-13T18:32:22Z\"}]}]}|as an RFC 3339 time: day out of range",
      "{\"streams\":[{\"labels\":\"{a=\\\"b\\\"}\",\"entries\":[{\"ts\":\"2019-09-13 18:32:22Z\"}]}]}|expected 'T' at offset 10",
      "{\"streams\":[{\"labels\":\"{a=\\\"b\\\"}\",\"entries\":[{\"ts\":\"2019-09-13T18:32:22\"}]}]}|missing time zone",
      "{\"streams\":[{\"labels\":5}]}|streams[0].labels must be a string, got a number",
      "{\"streams\":[{\"labels\":\"{a=\\\"b\\\"}\",\"entries\":[{\"line\":1}]}]}|entries[0].line must be a string",
  })
  void refusesBadLegacyBodies(String body, String message) {
    assertThatThrownBy(() -> legacy(body)).isInstanceOf(PushDecodeException.class).hasMessageContaining(message);
  }

  @Test
  void legacyLabelStringsAreParsed() {
    assertThatThrownBy(() -> legacy("{\"streams\":[{\"labels\":\"{a}\"}]}"))
        .hasMessage("couldn't parse labels: 1:3: parse error: unexpected \"}\" in label set, expected \"=\"");
  }

  @ParameterizedTest
  @EnumSource(PushBodies.BufKind.class)
  void readsEveryKindOfBuffer(PushBodies.BufKind kind) {
    ByteBuf b = kind.wrap("{\"streams\":[{\"stream\":{\"a\":\"b\"},\"values\":[[\"1\",\"é\"]]}]}"
        .getBytes(StandardCharsets.UTF_8));
    int reader = b.readerIndex();
    assertThat(decoder.decode(PushApi.V1, b).streams().get(0).entries().get(0).lineString()).isEqualTo("é");
    assertThat(b.readerIndex()).isEqualTo(reader);
    assertThat(b.refCnt()).isEqualTo(1);
    b.release();
  }
}
