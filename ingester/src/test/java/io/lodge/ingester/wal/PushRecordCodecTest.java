package io.lodge.ingester.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class PushRecordCodecTest {
  @Property(tries = 300)
  void roundTrips(@ForAll("tenants") String tenant, @ForAll("requests") PushRequest request) throws Exception {
    byte[] encoded = PushRecordCodec.encode(tenant, request);
    DecodedPush decoded = PushRecordCodec.decode(encoded);
    assertThat(decoded.tenant()).isEqualTo(tenant);
    assertThat(decoded.request()).isEqualTo(request);
    for (int i = 0; i < request.streams().size(); i++) {
      assertThat(decoded.request().streams().get(i).labels().canonical())
          .isEqualTo(request.streams().get(i).labels().canonical());
    }
  }

  @Property(tries = 100)
  void everyTruncationIsATypedError(@ForAll("tenants") String tenant, @ForAll("requests") PushRequest request) {
    byte[] encoded = PushRecordCodec.encode(tenant, request);
    for (int cut = 0; cut < encoded.length; cut++) {
      byte[] prefix = Arrays.copyOf(encoded, cut);
      assertThatThrownBy(() -> PushRecordCodec.decode(prefix)).isInstanceOf(PushRecordDecodeException.class);
    }
  }

  @Property(tries = 500)
  void garbageNeverEscapesAsAnUntypedError(@ForAll @Size(max = 200) byte[] garbage) {
    decodeOrTypedError(garbage);
  }

  @Property(tries = 300)
  void mutatedRecordsNeverEscapeAsUntypedErrors(@ForAll("requests") PushRequest request,
      @ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll byte value) {
    byte[] encoded = PushRecordCodec.encode("t", request);
    encoded[where % encoded.length] = value;
    decodeOrTypedError(encoded);
  }

  @Example
  void hugeCountsAreRefusedBeforeAllocating() {
    // version 1, tenant "", then a stream count of 2^31-1 with nothing after it.
    byte[] b = {1, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};
    assertThatThrownBy(() -> PushRecordCodec.decode(b)).isInstanceOf(PushRecordDecodeException.class)
        .hasMessageContaining("stream count 2147483647 cannot fit");
    byte[] v = {2, 0, 0};
    assertThatThrownBy(() -> PushRecordCodec.decode(v)).hasMessageContaining("unsupported push record version 2");
    byte[] trailing = {1, 0, 0, 5};
    assertThatThrownBy(() -> PushRecordCodec.decode(trailing)).hasMessageContaining("1 trailing bytes");
  }

  @Example
  void timestampsFarApartAndBackwardsSurvive() throws Exception {
    PushRequest r = new PushRequest(List.of(new PushStream(LabelSet.of("app", "x"), List.of(
        LogEntry.of(Long.MAX_VALUE, "a"), LogEntry.of(Long.MIN_VALUE, "b"), LogEntry.of(0, "c"),
        LogEntry.of(-5, "d", List.of(new Label("trace_id", "abc")))))));
    assertThat(PushRecordCodec.decode(PushRecordCodec.encode("tenant-1", r)).request()).isEqualTo(r);
  }

  /** Runs of entries with equal metadata (decoded as one shared list) next to different and empty ones. */
  @Property(tries = 300)
  void repeatedMetadataRoundTrips(@ForAll long seed) throws Exception {
    java.util.Random rnd = new java.util.Random(seed);
    List<List<Label>> pool = List.of(List.of(), List.of(new Label("detected_level", "info")),
        List.of(new Label("detected_level", "info"), new Label("trace_id", "abc")),
        List.of(new Label("detected_level", "inf")), List.of(new Label("detected_level", "info"), new Label("x", "")));
    List<PushStream> streams = new java.util.ArrayList<>();
    for (int s = 0; s < 1 + rnd.nextInt(3); s++) {
      List<LogEntry> entries = new java.util.ArrayList<>();
      for (int e = 0; e < rnd.nextInt(30); e++) {
        // copies, not the pool's instances: equal content is what must be recognised
        List<Label> md = new java.util.ArrayList<>(pool.get(rnd.nextInt(4) == 0 ? rnd.nextInt(pool.size()) : 1));
        entries.add(new LogEntry(rnd.nextLong(), ("line " + e).getBytes(), md));
      }
      streams.add(new PushStream(LabelSet.of("s", "" + s), entries));
    }
    PushRequest request = new PushRequest(streams);
    assertThat(PushRecordCodec.decode(PushRecordCodec.encode("t", request)).request()).isEqualTo(request);
  }

  /** The bytes are exactly the documented format, written the plain way (every string via getBytes). */
  @Property(tries = 300)
  void bytesFollowTheFormat(@ForAll("tenants") String tenant, @ForAll("wideRequests") PushRequest request) {
    assertThat(PushRecordCodec.encode(tenant, request)).isEqualTo(specBytes(tenant, request));
  }

  /**
   * Entries sharing metadata list instances (the validator's one list per detected level), interleaved with
   * others and empty ones: the shared lists' bytes are copied, and must still be the format's bytes.
   */
  @Property(tries = 300)
  void sharedMetadataListsAreWrittenInFull(@ForAll long seed) {
    java.util.Random rnd = new java.util.Random(seed);
    List<List<Label>> pool = List.of(List.of(), List.of(new Label("detected_level", "info")),
        List.of(new Label("detected_level", "warn")), List.of(new Label("detected_level", "é"), new Label("k", "v")));
    List<PushStream> streams = new java.util.ArrayList<>();
    for (int s = 0; s < 1 + rnd.nextInt(3); s++) {
      List<LogEntry> entries = new java.util.ArrayList<>();
      for (int e = 0; e < rnd.nextInt(40); e++) {
        entries.add(new LogEntry(rnd.nextLong(), ("line " + e).getBytes(), pool.get(rnd.nextInt(pool.size()))));
      }
      streams.add(new PushStream(LabelSet.of("s", "" + s), entries));
    }
    PushRequest request = new PushRequest(streams);
    assertThat(PushRecordCodec.encode("t", request)).isEqualTo(specBytes("t", request));
  }

  private static byte[] specBytes(String tenant, PushRequest request) {
    java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
    o.write(PushRecordCodec.VERSION);
    spec(o, tenant);
    specVarint(o, request.streams().size());
    for (PushStream st : request.streams()) {
      specVarint(o, st.labels().size());
      for (Label l : st.labels().labels()) {
        spec(o, l.name());
        spec(o, l.value());
      }
      specVarint(o, st.entries().size());
      long prev = 0;
      for (LogEntry e : st.entries()) {
        long d = e.timestampNanos() - prev;
        specVarint(o, (d << 1) ^ (d >> 63));
        prev = e.timestampNanos();
        specVarint(o, e.line().length);
        o.writeBytes(e.line());
        specVarint(o, e.metadata().size());
        for (Label l : e.metadata()) {
          spec(o, l.name());
          spec(o, l.value());
        }
      }
    }
    return o.toByteArray();
  }

  private static void spec(java.io.ByteArrayOutputStream o, String s) {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    specVarint(o, b.length);
    o.writeBytes(b);
  }

  private static void specVarint(java.io.ByteArrayOutputStream o, long v) {
    while ((v & ~0x7FL) != 0) {
      o.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    o.write((int) v);
  }

  /** Strings from empty to a few hundred chars, mostly ASCII, some not: both sides of the one-byte length. */
  @Provide
  Arbitrary<PushRequest> wideRequests() {
    Arbitrary<String> str = Arbitraries.oneOf(
        Arbitraries.strings().ascii().ofMaxLength(300),
        Arbitraries.strings().ascii().ofMaxLength(150).map(x -> x + "\u00e9" + x),
        text(0, 200));
    Arbitrary<Label> label = Combinators.combine(str.filter(x -> !x.isEmpty()), str).as(Label::new);
    Arbitrary<LogEntry> entry = Combinators.combine(Arbitraries.longs(),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300), label.list().ofMaxSize(2)).as(LogEntry::new);
    Arbitrary<PushStream> stream = Combinators.combine(label.list().ofMaxSize(4).map(LabelSet::of),
        entry.list().ofMaxSize(6)).as(PushStream::new);
    return stream.list().ofMaxSize(3).map(PushRequest::new);
  }

  private static void decodeOrTypedError(byte[] bytes) {
    try {
      PushRecordCodec.decode(bytes);
    } catch (PushRecordDecodeException expected) {
      assertThat(expected.offset()).isBetween(0, bytes.length);
    }
  }

  @Provide
  Arbitrary<String> tenants() {
    return text(0, 20);
  }

  /** Strings of valid UTF-16 (no lone surrogates), as decoders produce from UTF-8 input. */
  private static Arbitrary<String> text(int min, int max) {
    return Arbitraries.strings().withCharRange('\u0000', '\uD7FF').withCharRange('\uE000', '\uFFFD')
        .ofMinLength(min).ofMaxLength(max);
  }

  @Provide
  Arbitrary<PushRequest> requests() {
    Arbitrary<Label> label = Combinators.combine(text(1, 10), text(0, 15)).as(Label::new);
    Arbitrary<Long> ts = Arbitraries.oneOf(Arbitraries.longs(),
        Arbitraries.longs().between(1_700_000_000_000_000_000L, 1_700_000_100_000_000_000L));
    Arbitrary<LogEntry> entry = Combinators.combine(ts, Arbitraries.bytes().array(byte[].class).ofMaxSize(80),
        label.list().ofMaxSize(3)).as(LogEntry::new);
    Arbitrary<PushStream> stream = Combinators.combine(label.list().ofMaxSize(5).map(LabelSet::of),
        entry.list().ofMaxSize(12)).as(PushStream::new);
    return stream.list().ofMaxSize(4).map(PushRequest::new);
  }
}
