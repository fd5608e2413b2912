package io.lodge.ingester.push;

import static io.lodge.ingester.push.PushBodies.snappy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Timestamp;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.proto.logproto.EntryAdapter;
import io.lodge.proto.logproto.LabelPairAdapter;
import io.lodge.proto.logproto.StreamAdapter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ProtobufPushDecoderTest {
  private final ProtobufPushDecoder decoder =
      new ProtobufPushDecoder(new ServiceNameDiscovery(List.of()), ByteBufAllocator.DEFAULT, 1 << 20);

  private PushRequest decode(byte[] raw) {
    ByteBuf b = Unpooled.wrappedBuffer(snappy(raw));
    PushRequest r = decoder.decodeSnappy(b);
    assertThat(b.refCnt()).isEqualTo(1);
    return r;
  }

  private static io.lodge.proto.logproto.PushRequest.Builder request() {
    return io.lodge.proto.logproto.PushRequest.newBuilder();
  }

  private static EntryAdapter.Builder entry(long seconds, int nanos, String line) {
    return EntryAdapter.newBuilder().setTimestamp(Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos))
        .setLine(line);
  }

  @Test
  void decodesStreamsEntriesAndStructuredMetadataIgnoringHashAndParsed() {
    byte[] raw = request()
        .addStreams(StreamAdapter.newBuilder().setLabels("{job=\"a\", app=\"web\"}").setHash(42)
            .addEntries(entry(1700000000, 123456789, "first")
                .addStructuredMetadata(LabelPairAdapter.newBuilder().setName("trace_id").setValue("t1"))
                .addParsed(LabelPairAdapter.newBuilder().setName("ignored").setValue("x")))
            .addEntries(entry(1700000001, 0, "second")))
        .addStreams(StreamAdapter.newBuilder().setLabels("{b=\"\", c=\"3\"}"))
        .build().toByteArray();
    PushRequest r = decode(raw);
    assertThat(r.streams()).hasSize(2);
    assertThat(r.streams().get(0).labels().canonical()).isEqualTo("{app=\"web\", job=\"a\"}");
    assertThat(r.streams().get(0).entries()).containsExactly(
        LogEntry.of(1700000000123456789L, "first", List.of(new Label("trace_id", "t1"))),
        LogEntry.of(1700000001000000000L, "second"));
    assertThat(r.streams().get(1).labels().canonical()).isEqualTo("{c=\"3\"}");
    assertThat(r.streams().get(1).entries()).isEmpty();
  }

  @Test
  void entriesOutliveTheNextDecodeThatReusesTheThreadsScratch() {
    // large, small, larger: the second decode reuses the first's arrays, the third grows them; earlier
    // results must not change, and direct (gathered) input must decode like heap input
    String[] bodies = {"a".repeat(100_000), "b", "c".repeat(300_000)};
    PushRequest[] results = new PushRequest[bodies.length];
    for (int i = 0; i < bodies.length; i++) {
      byte[] raw = request().addStreams(StreamAdapter.newBuilder().setLabels("{job=\"j\"}")
          .addEntries(entry(1700000000, i, bodies[i])).addEntries(entry(1700000001, i, "tail" + i))).build().toByteArray();
      byte[] compressed = snappy(raw);
      ByteBuf direct = Unpooled.directBuffer(compressed.length).writeBytes(compressed);
      try {
        results[i] = i % 2 == 1 ? decoder.decodeSnappy(direct) : decode(raw);
      } finally {
        direct.release();
      }
    }
    for (int i = 0; i < bodies.length; i++) {
      assertThat(results[i].streams().get(0).entries()).containsExactly(
          LogEntry.of(1700000000_000000000L + i, bodies[i]), LogEntry.of(1700000001_000000000L + i, "tail" + i));
    }
  }

  @Test
  void linesStayBytesEvenWhenNotUtf8() throws IOException {
    // Go clients may send any bytes in a proto3 string; Java's generated builders refuse, so hand-encode.
    byte[] line = {(byte) 0xff, 'a', (byte) 0xc3};
    ByteArrayOutputStream entry = new ByteArrayOutputStream();
    CodedOutputStream e = CodedOutputStream.newInstance(entry);
    e.writeByteArray(1, Timestamp.newBuilder().setSeconds(1).build().toByteArray());
    e.writeByteArray(2, line);
    e.flush();
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    CodedOutputStream st = CodedOutputStream.newInstance(stream);
    st.writeByteArray(1, "{a=\"b\"}".getBytes(StandardCharsets.UTF_8));
    st.writeByteArray(2, entry.toByteArray());
    st.flush();
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    CodedOutputStream r = CodedOutputStream.newInstance(req);
    r.writeByteArray(1, stream.toByteArray());
    r.flush();
    assertThat(decode(req.toByteArray()).streams().get(0).entries().get(0).line()).isEqualTo(line);
  }

  @Test
  void emptyBodiesAndMissingFields() {
    assertThat(decode(new byte[0]).streams()).isEmpty();
    // An entry without a timestamp is Go's zero time (year 1): clamped to the oldest representable instant.
    byte[] raw = request().addStreams(StreamAdapter.newBuilder().addEntries(EntryAdapter.newBuilder()))
        .build().toByteArray();
    PushRequest r = decode(raw);
    assertThat(r.streams().get(0).labels()).isEqualTo(LabelSet.EMPTY);
    assertThat(r.streams().get(0).entries().get(0)).isEqualTo(new LogEntry(Long.MIN_VALUE, new byte[0], List.of()));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // seconds | nanos | expected ns (empty = error) | error fragment
      "0|0|0|",
      "-1|999999999|-1|",
      "-62135596800|0|-9223372036854775808|",
      "253402300799|999999999|9223372036854775807|",
      "9223372036|854775807|9223372036854775807|",
      "9223372036|854775808|9223372036854775807|",
      "-62135596801|0||is before 0001-01-01T00:00:00Z (stream 0, entry 0)",
      "253402300800|0||is not before 10000-01-01T00:00:00Z (stream 0, entry 0)",
      "1|-1||nanos not in range [0, 1e9) (stream 0, entry 0)",
      "1|1000000000||nanos not in range [0, 1e9)",
  })
  void validatesTimestampRange(long seconds, int nanos, Long expected, String error) {
    byte[] raw = request().addStreams(StreamAdapter.newBuilder().setLabels("{a=\"b\"}")
        .addEntries(entry(seconds, nanos, "x"))).build().toByteArray();
    if (expected != null) {
      assertThat(decode(raw).streams().get(0).entries().get(0).timestampNanos()).isEqualTo(expected);
    } else {
      assertThatThrownBy(() -> decode(raw)).isInstanceOf(PushDecodeException.class)
          .hasMessageStartingWith("proto: timestamp seconds:" + seconds + " nanos:" + nanos).hasMessageContaining(error);
    }
  }

  @Test
  void wrongWireTypeForAKnownFieldIsAnError() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeUInt64(1, 7); // streams as a varint
    out.flush();
    assertThatThrownBy(() -> decode(bytes.toByteArray())).isInstanceOf(PushDecodeException.class)
        .hasMessage("proto: cannot decode PushRequest (stream 0): wrong wire type 0 for field PushRequest.streams (expected 2)");
  }

  @Test
  void unknownFieldsAreSkipped() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeString(9, "future field");
    out.writeFixed64(10, 1);
    out.writeByteArray(1, StreamAdapter.newBuilder().setLabels("{a=\"b\"}").build().toByteArray());
    out.flush();
    assertThat(decode(bytes.toByteArray()).streams().get(0).labels().canonical()).isEqualTo("{a=\"b\"}");
  }

  @Test
  void truncatedMessagesFailWithTheirPosition() {
    byte[] raw = request().addStreams(StreamAdapter.newBuilder().setLabels("{a=\"b\"}")
        .addEntries(entry(1, 0, "hello world"))).build().toByteArray();
    for (int len = 1; len < raw.length; len++) {
      byte[] cut = java.util.Arrays.copyOf(raw, len);
      assertThatThrownBy(() -> decode(cut)).isInstanceOf(PushDecodeException.class)
          .hasMessageStartingWith("proto: cannot decode PushRequest (stream 0");
    }
  }

  @Test
  void badLabelStringFailsTheWholeRequestAfterTheMessageIsRead() {
    byte[] raw = request().addStreams(StreamAdapter.newBuilder().setLabels("{a=\"b\"}").addEntries(entry(1, 0, "x")))
        .addStreams(StreamAdapter.newBuilder().setLabels("{job.name=\"x\"}").addEntries(entry(1, 0, "x")))
        .build().toByteArray();
    assertThatThrownBy(() -> decode(raw)).isInstanceOf(LabelsParseException.class)
        .hasMessage("couldn't parse labels: 1:5: parse error: unexpected character inside braces: '.'");
  }

  @ParameterizedTest
  @EnumSource(PushBodies.BufKind.class)
  void readsEveryKindOfBufferWithoutTouchingIt(PushBodies.BufKind kind) {
    byte[] raw = request().addStreams(StreamAdapter.newBuilder().setLabels("{a=\"b\"}")
        .addEntries(entry(5, 6, "line é"))).build().toByteArray();
    ByteBuf body = kind.wrap(snappy(raw));
    int reader = body.readerIndex();
    int writer = body.writerIndex();
    PushRequest r = decoder.decodeSnappy(body);
    assertThat(r.streams().get(0).entries().get(0).line()).isEqualTo("line é".getBytes(StandardCharsets.UTF_8));
    assertThat(body.readerIndex()).isEqualTo(reader);
    assertThat(body.writerIndex()).isEqualTo(writer);
    assertThat(body.refCnt()).isEqualTo(1);
    body.release();
  }

  @Test
  void parsesUncompressedMessagesForGrpc() {
    byte[] raw = request().addStreams(StreamAdapter.newBuilder().setLabels("{a=\"b\"}")
        .addEntries(entry(5, 6, "x"))).build().toByteArray();
    assertThat(decoder.parse(raw, 0, raw.length).entryCount()).isEqualTo(1);
    assertThat(decoder.parse(Unpooled.wrappedBuffer(raw)).entryCount()).isEqualTo(1);
  }
}
