package io.lodge.ingester.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnknownFieldSet;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.push.PushRequestReader.RawStream;
import io.lodge.proto.logproto.EntryAdapter;
import io.lodge.proto.logproto.LabelPairAdapter;
import io.lodge.proto.logproto.PushRequest;
import io.lodge.proto.logproto.StreamAdapter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The array reader against protobuf-java's generated parser, on random and broken messages. */
class PushRequestReaderTest {

  @Test
  void readsWhatTheGeneratedParserReadsFromRandomMessages() throws InvalidProtocolBufferException {
    Random random = new Random(20261127);
    for (int round = 0; round < 300; round++) {
      PushRequest message = randomRequest(random);
      byte[] bytes = message.toByteArray();
      int pad = random.nextInt(5);
      byte[] framed = new byte[bytes.length + 2 * pad]; // read from inside a larger array
      System.arraycopy(bytes, 0, framed, pad, bytes.length);
      List<RawStream> read = PushRequestReader.read(framed, pad, bytes.length);
      assertSame(PushRequest.parseFrom(bytes), read);
    }
  }

  @Test
  void everyTruncationIsATypedErrorOrAShorterValidMessage() {
    Random random = new Random(7);
    for (int round = 0; round < 20; round++) {
      byte[] bytes = randomRequest(random).toByteArray();
      for (int len = 0; len < bytes.length; len++) {
        int cut = len;
        PushRequest oracle;
        try {
          oracle = PushRequest.parseFrom(Arrays.copyOf(bytes, cut));
        } catch (InvalidProtocolBufferException e) {
          assertThatThrownBy(() -> PushRequestReader.read(bytes, 0, cut))
              .isInstanceOf(PushDecodeException.class).hasMessageStartingWith("proto: cannot decode PushRequest (stream ");
          continue;
        }
        assertSame(oracle, PushRequestReader.read(bytes, 0, cut)); // cut between two whole streams
      }
    }
  }

  @Test
  void mutatedBytesNeverEscapeAsUntypedErrors() {
    Random random = new Random(11);
    for (int round = 0; round < 2000; round++) {
      byte[] bytes = randomRequest(random).toByteArray();
      if (bytes.length == 0) continue;
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      try {
        PushRequestReader.read(bytes, 0, bytes.length);
      } catch (PushDecodeException expected) {
        assertThat(expected.getMessage()).startsWith("proto:");
      }
    }
  }

  @Test
  void varintsOfEveryLengthReadAsTheGeneratedParserReadsThem() throws InvalidProtocolBufferException {
    // each length of 1 to 10 bytes at its smallest and largest value, read in mid-message (more bytes
    // follow) and as the message's last bytes (where a misread length runs off the end)
    List<Long> values = new java.util.ArrayList<>(List.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE));
    for (int bits = 7; bits < 64; bits += 7) {
      values.add((1L << bits) - 1);
      values.add(1L << bits);
    }
    for (long v : values) {
      for (boolean last : new boolean[] {false, true}) {
        UnknownFieldSet unknown = UnknownFieldSet.newBuilder()
            .addField(9, UnknownFieldSet.Field.newBuilder().addVarint(v).build()).build();
        long seconds = Math.floorMod(v, 4_000_000_000L);
        int nanos = (int) Math.floorMod(v, 1_000_000_000L);
        StreamAdapter.Builder stream = StreamAdapter.newBuilder().setLabels("{a=\"b\"}").addEntries(EntryAdapter.newBuilder()
            .setTimestamp(Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos)).setLine("x"));
        if (!last) stream.setUnknownFields(unknown); // a varint followed by the rest of the stream
        PushRequest.Builder message = PushRequest.newBuilder().addStreams(stream);
        if (last) message.setUnknownFields(unknown); // the message's last bytes
        byte[] bytes = message.build().toByteArray();
        List<RawStream> read = PushRequestReader.read(bytes, 0, bytes.length);
        assertSame(PushRequest.parseFrom(bytes), read);
        assertThat(read.get(0).entries().get(0).timestampNanos()).as("value %d", v)
            .isEqualTo(seconds * 1_000_000_000L + nanos);
      }
    }
  }

  @Test
  void unknownFieldsOfEveryWireTypeAreSkippedGroupsIncluded() throws IOException {
    UnknownFieldSet unknown = UnknownFieldSet.newBuilder()
        .addField(9, UnknownFieldSet.Field.newBuilder().addVarint(-1).addFixed32(7).addFixed64(8)
            .addLengthDelimited(ByteString.copyFromUtf8("future")).build())
        .addField(10, UnknownFieldSet.Field.newBuilder().addGroup(UnknownFieldSet.newBuilder()
            .addField(1, UnknownFieldSet.Field.newBuilder().addVarint(5).build())
            .addField(2, UnknownFieldSet.Field.newBuilder().addGroup(UnknownFieldSet.getDefaultInstance()).build())
            .build()).build())
        .build();
    EntryAdapter entry = EntryAdapter.newBuilder().setTimestamp(Timestamp.newBuilder().setSeconds(3).setNanos(4)
        .setUnknownFields(unknown)).setLine(ByteString.copyFromUtf8("line").toStringUtf8())
        .addStructuredMetadata(LabelPairAdapter.newBuilder().setName("k").setValue("v").setUnknownFields(unknown))
        .setUnknownFields(unknown).build();
    PushRequest message = PushRequest.newBuilder()
        .addStreams(StreamAdapter.newBuilder().setLabels("{a=\"b\"}").addEntries(entry).setUnknownFields(unknown))
        .setUnknownFields(unknown).build();
    byte[] bytes = message.toByteArray();
    List<RawStream> read = PushRequestReader.read(bytes, 0, bytes.length);
    assertSame(message, read);
    assertThat(read.get(0).entries().get(0).timestampNanos()).isEqualTo(3_000_000_004L);
  }

  @Test
  void brokenFramingNamesWhereItWasFound() throws IOException {
    assertThatThrownBy(() -> read(out -> out.writeTag(0, 0)))
        .hasMessage("proto: cannot decode PushRequest (stream 0): invalid tag (field number 0)");
    assertThatThrownBy(() -> read(out -> out.writeTag(5, 4)))
        .hasMessage("proto: cannot decode PushRequest (stream 0): unexpected end-group tag for field 5");
    assertThatThrownBy(() -> read(out -> out.writeTag(5, 6)))
        .hasMessage("proto: cannot decode PushRequest (stream 0): invalid wire type 6 for field 5");
    assertThatThrownBy(() -> read(out -> {
      out.writeTag(5, 3); // a group closed by another field's end tag
      out.writeTag(6, 4);
    })).hasMessage("proto: cannot decode PushRequest (stream 0): end-group tag for field 6 inside group 5");
    assertThatThrownBy(() -> read(out -> {
      for (int i = 0; i < 11; i++) out.writeRawByte(0x80);
    })).hasMessage("proto: cannot decode PushRequest (stream 0): malformed varint (more than 10 bytes)");
    assertThatThrownBy(() -> read(out -> {
      out.writeTag(1, 2);
      out.writeUInt64NoTag(1L << 40); // a length past 2 GiB
    })).hasMessageContaining("oversized length");
    byte[] entry = EntryAdapter.newBuilder().setLine("x").build().toByteArray();
    assertThatThrownBy(() -> read(out -> {
      out.writeTag(1, 2);
      out.writeUInt32NoTag(entry.length + 3); // the stream claims more than follows
      out.writeTag(2, 2);
      out.writeUInt32NoTag(entry.length);
      out.writeRawBytes(entry);
    })).hasMessageStartingWith("proto: cannot decode PushRequest (stream 0): the input ended");
    assertThatThrownBy(() -> read(out -> {
      out.writeTag(1, 2);
      out.writeUInt32NoTag(entry.length + 2);
      out.writeTag(2, 2);
      out.writeUInt32NoTag(entry.length + 1); // the entry claims more than its stream holds
      out.writeRawBytes(entry);
      out.writeRawByte(0);
    })).hasMessageStartingWith("proto: cannot decode PushRequest (stream 0, entry 0): the input ended");
  }

  @Test
  void aBadTimestampNamesItsEntry() {
    byte[] bytes = PushRequest.newBuilder().addStreams(StreamAdapter.newBuilder().setLabels("{a=\"b\"}")
        .addEntries(EntryAdapter.newBuilder().setLine("ok"))
        .addEntries(EntryAdapter.newBuilder().setTimestamp(Timestamp.newBuilder().setSeconds(1).setNanos(-1))))
        .build().toByteArray();
    assertThatThrownBy(() -> PushRequestReader.read(bytes, 0, bytes.length))
        .hasMessage("proto: timestamp seconds:1 nanos:-1: nanos not in range [0, 1e9) (stream 0, entry 1)");
  }

  private interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  private static List<RawStream> read(Writer writer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    writer.write(out);
    out.flush();
    byte[] b = bytes.toByteArray();
    return PushRequestReader.read(b, 0, b.length);
  }

  private static void assertSame(PushRequest oracle, List<RawStream> read) {
    assertThat(read).hasSize(oracle.getStreamsCount());
    for (int s = 0; s < read.size(); s++) {
      StreamAdapter want = oracle.getStreams(s);
      RawStream got = read.get(s);
      assertThat(got.labels()).isEqualTo(want.getLabelsBytes().toByteArray());
      assertThat(got.entries()).hasSize(want.getEntriesCount());
      for (int e = 0; e < got.entries().size(); e++) {
        EntryAdapter w = want.getEntries(e);
        LogEntry g = got.entries().get(e);
        long ts = w.hasTimestamp()
            ? ProtobufPushDecoder.toUnixNanos(w.getTimestamp().getSeconds(), w.getTimestamp().getNanos())
            : Long.MIN_VALUE;
        assertThat(g.timestampNanos()).isEqualTo(ts);
        assertThat(g.line()).isEqualTo(w.getLineBytes().toByteArray());
        assertThat(g.metadata()).containsExactlyElementsOf(w.getStructuredMetadataList().stream()
            .map(l -> new Label(l.getName(), l.getValue())).toList());
      }
    }
  }

  private static PushRequest randomRequest(Random random) {
    PushRequest.Builder request = PushRequest.newBuilder();
    for (int s = random.nextInt(4); s > 0; s--) {
      StreamAdapter.Builder stream = StreamAdapter.newBuilder();
      if (random.nextInt(8) != 0) stream.setLabels("{app=\"a" + random.nextInt(100) + "\"}");
      if (random.nextBoolean()) stream.setHash(random.nextLong());
      for (int e = random.nextInt(6); e > 0; e--) {
        EntryAdapter.Builder entry = EntryAdapter.newBuilder();
        if (random.nextInt(8) != 0) {
          entry.setTimestamp(Timestamp.newBuilder().setSeconds(random.nextInt(8) == 0 ? 0 : 1_600_000_000L + random.nextInt(1 << 30))
              .setNanos(random.nextInt(1_000_000_000)));
        }
        byte[] line = new byte[random.nextInt(8) == 0 ? 200 + random.nextInt(400) : random.nextInt(40)];
        for (int i = 0; i < line.length; i++) line[i] = (byte) (' ' + random.nextInt(95));
        entry.setLineBytes(ByteString.copyFrom(line));
        for (int m = random.nextInt(3); m > 0; m--) {
          entry.addStructuredMetadata(LabelPairAdapter.newBuilder().setName("k" + random.nextInt(5)).setValue("v" + random.nextInt(1000)));
        }
        if (random.nextInt(10) == 0) entry.addParsed(LabelPairAdapter.newBuilder().setName("p").setValue("q"));
        stream.addEntries(entry);
      }
      request.addStreams(stream);
    }
    return request.build();
  }
}
