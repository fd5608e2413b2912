package io.lodge.ingester.push;

import static io.lodge.ingester.push.PushBodies.deflateRaw;
import static io.lodge.ingester.push.PushBodies.gzip;
import static io.lodge.ingester.push.PushBodies.snappy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PushBodyDecoderTest {
  private static final int MAX = 1 << 20;
  private static final String PROTO = "application/x-protobuf";
  private static final String JSON = "application/json";

  private final TrackingAllocator alloc = new TrackingAllocator();
  private final PushBodyDecoder plain = new PushBodyDecoder(TestLimits.noDiscovery(), MAX, alloc);
  private final PushBodyDecoder loki = new PushBodyDecoder(LimitsConfig.defaults(), MAX, alloc);

  private static final PushRequest SAMPLE = new PushRequest(List.of(
      new PushStream(LabelSet.of("app", "web", "env", "prod"), List.of(
          LogEntry.of(1700000000123456789L, "first line"),
          LogEntry.of(1700000000223456789L, "second é", List.of(new Label("trace_id", "abc"))))),
      new PushStream(LabelSet.of("job", "batch"), List.of(LogEntry.of(1L, "")))));

  @AfterEach
  void everyInternalBufferIsReleased() {
    assertThat(alloc.live()).as("decoder-owned buffers still referenced").isZero();
  }

  private PushRequest decode(PushBodyDecoder d, PushApi api, String type, String enc, byte[] body,
      PushBodies.BufKind kind) {
    ByteBuf buf = kind.wrap(body);
    int reader = buf.readerIndex();
    int writer = buf.writerIndex();
    try {
      return d.decode(api, type, enc, buf);
    } finally {
      assertThat(buf.refCnt()).as("caller's buffer is not released").isEqualTo(1);
      assertThat(buf.readerIndex()).isEqualTo(reader);
      assertThat(buf.writerIndex()).isEqualTo(writer);
      buf.release();
    }
  }

  private PushRequest decode(String type, String enc, byte[] body) {
    return decode(plain, PushApi.V1, type, enc, body, PushBodies.BufKind.HEAP);
  }

  static List<Arguments> encodings() {
    List<Arguments> out = new java.util.ArrayList<>();
    byte[] proto = PushBodies.proto(SAMPLE);
    byte[] json = PushBodies.v1Json(SAMPLE);
    for (PushBodies.BufKind kind : PushBodies.BufKind.values()) {
      out.add(Arguments.of(kind, PROTO, null, snappy(proto)));
      out.add(Arguments.of(kind, PROTO, "", snappy(proto)));
      out.add(Arguments.of(kind, PROTO, "snappy", snappy(proto)));
      out.add(Arguments.of(kind, PROTO, "gzip", gzip(snappy(proto))));
      out.add(Arguments.of(kind, PROTO, "deflate", deflateRaw(snappy(proto))));
      out.add(Arguments.of(kind, "text/plain", null, snappy(proto)));
      out.add(Arguments.of(kind, "application/x-www-form-urlencoded", null, snappy(proto)));
      out.add(Arguments.of(kind, "application/jsonn", null, snappy(proto)));
      out.add(Arguments.of(kind, JSON, null, json));
      out.add(Arguments.of(kind, "application/json; charset=utf-8", "snappy", json)); // read as plain JSON
      out.add(Arguments.of(kind, JSON, "gzip", gzip(json)));
      out.add(Arguments.of(kind, JSON, "deflate", deflateRaw(json)));
    }
    return out;
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("encodings")
  void everyEncodingAndBufferKindDecodesTheSameRequest(PushBodies.BufKind kind, String type, String enc, byte[] body) {
    assertThat(decode(plain, PushApi.V1, type, enc, body, kind)).isEqualTo(SAMPLE);
  }

  @Test
  void serviceNameIsDiscoveredOnEveryStream() {
    PushRequest r = decode(loki, PushApi.V1, PROTO, null, snappy(PushBodies.proto(SAMPLE)), PushBodies.BufKind.HEAP);
    assertThat(r.streams().get(0).labels().get("service_name")).isEqualTo("web");
    assertThat(r.streams().get(1).labels().get("service_name")).isEqualTo("batch");
    PushRequest j = decode(loki, PushApi.V1, JSON, null, "{\"streams\":[{\"stream\":{},\"values\":[[\"1\",\"x\"]]}]}"
        .getBytes(StandardCharsets.UTF_8), PushBodies.BufKind.HEAP);
    assertThat(j.streams().get(0).labels().canonical()).isEqualTo("{service_name=\"unknown_service\"}");
  }

  @Test
  void legacyPathUsesTheLegacyJsonShape() {
    byte[] body = "{\"streams\":[{\"labels\":\"{a=\\\"b\\\"}\",\"entries\":[{\"ts\":\"1970-01-01T00:00:01Z\",\"line\":\"x\"}]}]}"
        .getBytes(StandardCharsets.UTF_8);
    PushRequest r = decode(plain, PushApi.LEGACY, JSON, null, body, PushBodies.BufKind.DIRECT);
    assertThat(r.streams().get(0).entries()).containsExactly(LogEntry.of(1_000_000_000L, "x"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      // content type | content encoding | message
      "application/x-protobuf|br|Content-Encoding \"br\" not supported",
      "application/x-protobuf|GZIP|Content-Encoding \"GZIP\" not supported",
      "application/json|identity|Content-Encoding \"identity\" not supported",
      "NULL|NULL|mime: no media type",
      "''|snappy|mime: no media type",
      "application/json; charsetutf-8|NULL|mime: invalid media parameter",
      "application/x-protobuf|NULL|snappy: corrupt input",
  })
  void headerErrors(String type, String enc, String message) {
    assertThatThrownBy(() -> decode(type, enc, "not a snappy block".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(PushDecodeException.class).hasMessage(message)
        .satisfies(e -> assertThat(((PushDecodeException) e).status()).isEqualTo(400));
  }

  @Test
  void encodingIsCheckedBeforeTheContentTypeAndTheGzipHeaderToo() {
    assertThatThrownBy(() -> decode(null, "br", new byte[0])).hasMessage("Content-Encoding \"br\" not supported");
    assertThatThrownBy(() -> decode(null, "gzip", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}))
        .hasMessage("gzip: invalid header");
    // past a valid gzip header, a bad Content-Type wins over bad compressed data
    byte[] gz = gzip("x".getBytes(StandardCharsets.UTF_8));
    gz[12] ^= 0x55;
    assertThatThrownBy(() -> decode(null, "gzip", gz)).hasMessage("mime: no media type");
  }

  @Test
  void snappyCompressedJsonIsNotUnsnappied() {
    byte[] body = snappy(PushBodies.v1Json(SAMPLE));
    assertThatThrownBy(() -> decode(JSON, "snappy", body)).isInstanceOf(PushDecodeException.class)
        .hasMessageStartingWith("invalid JSON push body: ");
  }

  @Test
  void gzipMembersConcatenateAndTheirChecksumsAreVerified() {
    byte[] json = PushBodies.v1Json(SAMPLE);
    int half = json.length / 2;
    byte[] two = concat(gzip(Arrays.copyOf(json, half)), gzip(Arrays.copyOfRange(json, half, json.length)));
    assertThat(decode(JSON, "gzip", two)).isEqualTo(SAMPLE);

    byte[] badCrc = gzip(json);
    badCrc[badCrc.length - 6] ^= 1;
    assertThatThrownBy(() -> decode(JSON, "gzip", badCrc)).hasMessage("gzip: invalid checksum");
    byte[] badSize = gzip(json);
    badSize[badSize.length - 1] ^= 1;
    assertThatThrownBy(() -> decode(JSON, "gzip", badSize)).hasMessage("gzip: invalid checksum");
    assertThatThrownBy(() -> decode(JSON, "gzip", concat(gzip(json), "junk".getBytes(StandardCharsets.UTF_8))))
        .hasMessage("gzip: invalid header");
    byte[] full = gzip(json);
    assertThatThrownBy(() -> decode(JSON, "gzip", Arrays.copyOf(full, full.length - 4)))
        .hasMessageStartingWith("gzip: unexpected EOF");
    assertThatThrownBy(() -> decode(JSON, "gzip", new byte[0])).hasMessageStartingWith("gzip: unexpected EOF");
  }

  @Test
  void gzipOptionalHeaderFieldsAreSkipped() {
    byte[] json = PushBodies.v1Json(SAMPLE);
    byte[] deflated = deflateRaw(json);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(json);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] header = {0x1f, (byte) 0x8b, 8, 0x04 | 0x08 | 0x10, 0, 0, 0, 0, 0, 3};
    out.writeBytes(header);
    out.writeBytes(new byte[] {3, 0, 'a', 'b', 'c'}); // FEXTRA
    out.writeBytes("name\0".getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes("comment\0".getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(deflated);
    out.writeBytes(le32(crc.getValue()));
    out.writeBytes(le32(json.length));
    assertThat(decode(JSON, "gzip", out.toByteArray())).isEqualTo(SAMPLE);
  }

  @Test
  void deflateIgnoresBytesAfterTheFinalBlockAndRefusesTruncationAndGarbage() {
    byte[] json = PushBodies.v1Json(SAMPLE);
    assertThat(decode(JSON, "deflate", concat(deflateRaw(json), new byte[] {9, 9, 9}))).isEqualTo(SAMPLE);
    byte[] d = deflateRaw(json);
    assertThatThrownBy(() -> decode(JSON, "deflate", Arrays.copyOf(d, d.length / 2)))
        .hasMessageStartingWith("deflate: unexpected EOF");
    assertThatThrownBy(() -> decode(JSON, "deflate", new byte[] {(byte) 0xff, (byte) 0xff}))
        .hasMessageStartingWith("flate: corrupt input");
    assertThatThrownBy(() -> decode(JSON, "deflate", new byte[0])).hasMessageStartingWith("deflate: unexpected EOF");
  }

  // ---- size limits ------------------------------------------------------------------------------

  @Test
  void aSnappyHeaderDeclaringTwoGigabytesIsRefusedBeforeAllocating() {
    byte[] header = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 0, 0}; // 2^31
    assertThatThrownBy(() -> decode(PROTO, null, header)).isInstanceOf(PushTooLargeException.class)
        .hasMessageContaining("2147483648").hasMessageContaining("limit of " + MAX + " bytes")
        .satisfies(e -> assertThat(((PushDecodeException) e).status()).isEqualTo(413));
    assertThat(alloc.largestRequest()).isLessThanOrEqualTo(MAX);
    byte[] tooLong = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1};
    assertThatThrownBy(() -> decode(PROTO, null, tooLong)).hasMessage("snappy: corrupt input");
  }

  @Test
  void snappyOutputExactlyAtTheLimitIsAcceptedAndOneMoreIsNot() {
    PushBodyDecoder small = new PushBodyDecoder(TestLimits.noDiscovery(), 100, alloc);
    byte[] atLimit = new byte[100]; // 100 bytes of field-0... would be bad proto, so use a skipped field
    atLimit[0] = (byte) (15 << 3 | 2);
    atLimit[1] = 98;
    assertThat(small.decode(PushApi.V1, PROTO, null, Unpooled.wrappedBuffer(snappy(atLimit))).streams()).isEmpty();
    byte[] over = new byte[101];
    over[0] = (byte) (15 << 3 | 2);
    over[1] = 99;
    assertThatThrownBy(() -> small.decode(PushApi.V1, PROTO, null, Unpooled.wrappedBuffer(snappy(over))))
        .isInstanceOf(PushTooLargeException.class);
  }

  @ParameterizedTest
  @CsvSource({"gzip", "deflate"})
  void compressionBombsStopAtTheLimit(String enc) {
    byte[] json = ("{\"streams\":[]" + " ".repeat(20 * MAX) + "}").getBytes(StandardCharsets.UTF_8);
    byte[] body = enc.equals("gzip") ? gzip(json) : deflateRaw(json);
    assertThat(body.length).isLessThan(MAX / 10);
    assertThatThrownBy(() -> decode(JSON, enc, body)).isInstanceOf(PushTooLargeException.class)
        .hasMessageContaining("limit of " + MAX + " bytes");
    assertThat(alloc.largestRequest()).isLessThanOrEqualTo(MAX + 1);
  }

  @Test
  void compressedJsonExactlyAtTheLimitDecodes() {
    PushBodyDecoder small = new PushBodyDecoder(TestLimits.noDiscovery(), 4096, alloc);
    byte[] json = padTo("{\"streams\":[]}", 4096);
    for (UnaryOperator<byte[]> c : List.<UnaryOperator<byte[]>>of(PushBodies::gzip, PushBodies::deflateRaw)) {
      assertThat(small.decode(PushApi.V1, JSON, c == null ? null : encName(c), Unpooled.wrappedBuffer(c.apply(json)))
          .streams()).isEmpty();
      byte[] over = padTo("{\"streams\":[]}", 4097);
      assertThatThrownBy(() -> small.decode(PushApi.V1, JSON, encName(c), Unpooled.wrappedBuffer(c.apply(over))))
          .isInstanceOf(PushTooLargeException.class);
    }
  }

  @Test
  void rawJsonAboveTheLimitIs413() {
    PushBodyDecoder small = new PushBodyDecoder(TestLimits.noDiscovery(), 4096, alloc);
    assertThat(small.decode(PushApi.V1, JSON, null, Unpooled.wrappedBuffer(padTo("{}", 4096))).streams()).isEmpty();
    assertThatThrownBy(() -> small.decode(PushApi.V1, JSON, null, Unpooled.wrappedBuffer(padTo("{}", 4097))))
        .isInstanceOf(PushTooLargeException.class).hasMessageContaining("4097 bytes");
  }

  private static String encName(UnaryOperator<byte[]> c) {
    byte[] probe = c.apply(new byte[] {1});
    return probe[0] == 0x1f && probe[1] == (byte) 0x8b ? "gzip" : "deflate";
  }

  private static byte[] padTo(String json, int size) {
    return (json.substring(0, json.length() - 1) + " ".repeat(size - json.length()) + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static byte[] le32(long v) {
    return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
  }
}
