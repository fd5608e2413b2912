package io.lodge.ingester.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Whatever arrives, decoding ends in a value or a {@link PushDecodeException} (4xx): never another
 * exception, a hang or an OutOfMemoryError. And what the generated protobuf classes (or a v1 JSON writer)
 * encode decodes back to the same streams.
 */
class PushBodyDecoderPropertiesTest {
  private static final int MAX = 256 * 1024;
  private static final String[] TYPES = {"application/x-protobuf", "application/json", null, "text/plain", "a/b; x"};
  private static final String[] ENCODINGS = {null, "snappy", "gzip", "deflate"};

  private final TrackingAllocator alloc = new TrackingAllocator();
  private final PushBodyDecoder decoder = new PushBodyDecoder(TestLimits.noDiscovery(), MAX, alloc);

  /** Decodes under every header combination and buffer kind; returns how many decoded successfully. */
  private int decodeEverywhere(byte[] body) {
    int ok = 0;
    for (String type : TYPES) {
      for (String enc : ENCODINGS) {
        for (PushApi api : PushApi.values()) {
          ok += decodeOnce(api, type, enc, body, PushBodies.BufKind.values()[(type + enc + api).length() % 4]);
        }
      }
    }
    assertThat(alloc.live()).isZero();
    return ok;
  }

  private int decodeOnce(PushApi api, String type, String enc, byte[] body, PushBodies.BufKind kind) {
    ByteBuf buf = kind.wrap(body);
    try {
      decoder.decode(api, type, enc, buf);
      return 1;
    } catch (PushDecodeException e) {
      assertThat(e.status()).isIn(400, 413);
      assertThat(e.getMessage()).isNotBlank();
      return 0;
    } finally {
      assertThat(buf.refCnt()).isEqualTo(1);
      buf.release();
    }
  }

  @Property(tries = 150)
  void randomBytesNeverEscapeAsAnythingButADecodeError(@ForAll @Size(max = 300) byte[] body) {
    decodeEverywhere(body);
  }

  @Property(tries = 100)
  void randomBytesBehindAValidHeaderOrPrefix(@ForAll("prefixes") byte[] prefix, @ForAll @Size(max = 200) byte[] tail) {
    byte[] body = Arrays.copyOf(prefix, prefix.length + tail.length);
    System.arraycopy(tail, 0, body, prefix.length, tail.length);
    decodeEverywhere(body);
  }

  @Property(tries = 200)
  void mutatedValidBodiesNeverEscape(@ForAll("validBodies") byte[] body, @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 8) int mutations) {
    Random r = new Random(seed);
    byte[] b = body.clone();
    for (int m = 0; m < mutations && b.length > 0; m++) {
      switch (r.nextInt(3)) {
        case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8)); // bit flip
        case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length)); // truncation
        default -> { // splice a random run of another part of the body over a random place
          int from = r.nextInt(b.length);
          int to = r.nextInt(b.length);
          int len = Math.min(r.nextInt(16) + 1, Math.min(b.length - from, b.length - to));
          System.arraycopy(b.clone(), from, b, to, len);
        }
      }
    }
    decodeEverywhere(b);
  }

  @Test
  void truncationAtEveryLengthOfEveryEncoding() {
    PushRequest sample = new PushRequest(List.of(new PushStream(LabelSet.of("app", "web"),
        List.of(LogEntry.of(1700000000123456789L, "hello", List.of(new Label("k", "v"))), LogEntry.of(2L, "x")))));
    byte[] proto = PushBodies.proto(sample);
    byte[] json = PushBodies.v1Json(sample);
    List<byte[]> bodies = List.of(PushBodies.snappy(proto), PushBodies.gzip(PushBodies.snappy(proto)),
        PushBodies.deflateRaw(PushBodies.snappy(proto)), json, PushBodies.gzip(json), PushBodies.deflateRaw(json));
    int decodedWhole = 0;
    for (byte[] body : bodies) {
      for (int len = 0; len <= body.length; len++) {
        int ok = decodeEverywhere(Arrays.copyOf(body, len));
        if (len == body.length) decodedWhole += ok;
      }
    }
    assertThat(decodedWhole).as("each whole body decodes under its own headers").isGreaterThanOrEqualTo(bodies.size());
  }

  @Test
  void hugeDeclaredSnappyLengthsAreRefusedBeforeAllocation() {
    for (long declared : new long[] {MAX + 1L, 1L << 31, 0xFFFFFFFFL}) {
      byte[] header = new byte[6];
      int n = 0;
      long v = declared;
      while (v >= 0x80) {
        header[n++] = (byte) (v | 0x80);
        v >>>= 7;
      }
      header[n++] = (byte) v;
      decodeEverywhere(Arrays.copyOf(header, n + 1));
    }
    assertThat(alloc.largestRequest()).isLessThanOrEqualTo(MAX + 1);
  }

  // ---- round trip -------------------------------------------------------------------------------

  @Property(tries = 150)
  void protobufRoundTrip(@ForAll("requests") PushRequest request, @ForAll("encodings") String enc) {
    byte[] body = PushBodies.snappy(PushBodies.proto(request));
    body = compress(body, enc);
    PushBodies.BufKind kind = PushBodies.BufKind.values()[Math.floorMod(body.length, 4)];
    ByteBuf buf = kind.wrap(body);
    try {
      assertThat(decoder.decode(PushApi.V1, "application/x-protobuf", enc, buf)).isEqualTo(expected(request));
    } finally {
      buf.release();
    }
    assertThat(alloc.live()).isZero();
  }

  @Property(tries = 150)
  void jsonRoundTrip(@ForAll("requests") PushRequest request, @ForAll("encodings") String enc) {
    byte[] body = compress(PushBodies.v1Json(request), enc);
    PushBodies.BufKind kind = PushBodies.BufKind.values()[Math.floorMod(body.length, 4)];
    ByteBuf buf = kind.wrap(body);
    try {
      assertThat(decoder.decode(PushApi.V1, "application/json", enc, buf)).isEqualTo(expected(request));
    } finally {
      buf.release();
    }
    assertThat(alloc.live()).isZero();
  }

  private static byte[] compress(byte[] body, String enc) {
    if (enc == null) return body;
    return switch (enc) {
      case "gzip" -> PushBodies.gzip(body);
      case "deflate" -> PushBodies.deflateRaw(body);
      default -> body;
    };
  }

  /** The oracle: Loki drops labels with empty values; everything else comes back as sent. */
  private static PushRequest expected(PushRequest sent) {
    List<PushStream> streams = new ArrayList<>();
    for (PushStream s : sent.streams()) streams.add(new PushStream(s.labels().withoutEmptyValues(), s.entries()));
    return new PushRequest(streams);
  }

  @Provide
  Arbitrary<String> encodings() {
    return Arbitraries.of("", "snappy", "gzip", "deflate");
  }

  @Provide
  Arbitrary<PushRequest> requests() {
    Arbitrary<String> names = Arbitraries.strings().withChars("abcxyzAZ_09").ofMinLength(1).ofMaxLength(6)
        .filter(LabelsParser::isLabelName);
    Arbitrary<String> text = Arbitraries.strings().ofMaxLength(20).map(PushBodyDecoderPropertiesTest::wellFormed);
    // Prometheus' lexer refuses U+FFFD in label values ("invalid UTF-8 rune"), so Loki's clients cannot use it.
    Arbitrary<String> labelValues = text.map(v -> v.replace('\uFFFD', '?'));
    Arbitrary<LabelSet> labels = Arbitraries.maps(names, labelValues).ofMaxSize(5).map(LabelSet::of);
    Arbitrary<List<Label>> metadata = Arbitraries.maps(text.filter(s -> !s.isEmpty()), text).ofMaxSize(3)
        .map(m -> m.entrySet().stream().map(e -> new Label(e.getKey(), e.getValue())).toList());
    Arbitrary<Long> ts = Arbitraries.longs();
    Arbitrary<LogEntry> entry = Combinators.combine(ts, text, metadata).as(LogEntry::of);
    Arbitrary<PushStream> stream = Combinators.combine(labels, entry.list().ofMaxSize(5)).as(PushStream::new);
    return stream.list().ofMaxSize(4).map(PushRequest::new);
  }

  @Provide
  Arbitrary<byte[]> validBodies() {
    return requests().flatMap(r -> Arbitraries.of(
        PushBodies.snappy(PushBodies.proto(r)),
        PushBodies.gzip(PushBodies.snappy(PushBodies.proto(r))),
        PushBodies.deflateRaw(PushBodies.snappy(PushBodies.proto(r))),
        PushBodies.v1Json(r),
        PushBodies.gzip(PushBodies.v1Json(r)),
        PushBodies.deflateRaw(PushBodies.v1Json(r))));
  }

  @Provide
  Arbitrary<byte[]> prefixes() {
    return Arbitraries.of(
        new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3},       // gzip header
        new byte[] {(byte) 0x80, (byte) 0x80, 4},                      // snappy: 64 KiB declared
        new byte[] {0x10, 0x0a, 0x0e},                                 // snappy 16, literal tag
        "{\"streams\":[{\"stream\":{\"a\":\"b\"},\"values\":[[\"1\",\"".getBytes(),
        "{\"streams\":[{\"labels\":\"{a=\\\"".getBytes(),
        "{\"x\":".concat("[".repeat(5000)).getBytes());
  }

  /** Strings a Go client can send: no unpaired surrogates (they are invalid UTF-8 to Go). */
  private static String wellFormed(String s) {
    StringBuilder sb = new StringBuilder();
    s.codePoints().forEach(cp -> sb.appendCodePoint(cp >= 0xD800 && cp <= 0xDFFF ? 'x' : cp));
    return sb.toString();
  }

}
