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
      decodeOrTypedError(prefix); // the same error with a label cache
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
    byte[] v = {3, 0, 0};
    assertThatThrownBy(() -> PushRecordCodec.decode(v)).hasMessageContaining("unsupported push record version 3");
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

  /**
   * A record holding the push's body: whatever validation did to the decoded push (streams and entries
   * dropped, timestamps moved, lines truncated, levels added, metadata rewritten; label sets repeated,
   * lines repeated or empty), decoding gives back exactly what was stored.
   */
  @Property(tries = 400)
  void recordsWithTheBodyRoundTrip(@ForAll long seed) throws Exception {
    java.util.Random rnd = new java.util.Random(seed);
    KeptBody push = keptBody(rnd);
    PushRequest stored = validated(push.decoded, rnd);
    byte[] record = encodeWithBody("tenant-" + rnd.nextInt(3), stored, push);
    DecodedPush decoded = PushRecordCodec.decode(record);
    assertThat(decoded.request()).isEqualTo(stored);
    for (int i = 0; i < stored.streams().size(); i++) {
      assertThat(decoded.request().streams().get(i).labels().canonical())
          .isEqualTo(stored.streams().get(i).labels().canonical());
    }
    int total = push.decoded.entryCount();
    if (stored.entryCount() * 2 >= total) assertThat(record[0]).isEqualTo((byte) PushRecordCodec.VERSION_WITH_BODY);
    else assertThat(record[0]).isEqualTo((byte) PushRecordCodec.VERSION);
  }

  /**
   * Decoding copies no line: a body record's lines are ranges of the one array {@code bodies} gave for
   * its body (which may be larger than asked and hold old bytes), a line-by-line record's of the array
   * the record was read into (which may hold other bytes after it).
   */
  @Property(tries = 200)
  void decodedLinesAreRangesOfTheBodyOrThePayload(@ForAll long seed) throws Exception {
    java.util.Random rnd = new java.util.Random(seed);
    KeptBody push = keptBody(rnd);
    PushRequest stored = validated(push.decoded, rnd);
    byte[] record = encodeWithBody("t", stored, push);
    // read into a larger array, as a replay's recycled ones are: what follows the record is not its
    byte[] array = Arrays.copyOf(record, record.length + rnd.nextInt(50));
    Arrays.fill(array, record.length, array.length, (byte) 7);
    List<byte[]> given = new java.util.ArrayList<>();
    DecodedPush decoded = PushRecordCodec.decode(array, record.length, null, n -> {
      byte[] a = new byte[n + rnd.nextInt(100)];
      Arrays.fill(a, (byte) 'x');
      given.add(a);
      return a;
    });
    assertThat(decoded.request()).isEqualTo(stored);
    byte[] expectedText = record[0] == PushRecordCodec.VERSION_WITH_BODY ? given.get(0) : array;
    assertThat(given).hasSize(record[0] == PushRecordCodec.VERSION_WITH_BODY ? 1 : 0);
    assertThat(decoded.body()).isSameAs(given.isEmpty() ? null : given.get(0));
    for (PushStream s : decoded.request().streams()) {
      for (int i = 0; i < s.entries().size(); i++) assertThat(s.entries().lineArray(i)).isSameAs(expectedText);
    }
  }

  @Property(tries = 60)
  void everyTruncationOfABodyRecordIsATypedError(@ForAll long seed) {
    java.util.Random rnd = new java.util.Random(seed);
    KeptBody push = keptBody(rnd);
    byte[] record = encodeWithBody("t", push.decoded, push);
    for (int cut = 0; cut < record.length; cut++) {
      byte[] prefix = Arrays.copyOf(record, cut);
      assertThatThrownBy(() -> PushRecordCodec.decode(prefix)).isInstanceOf(PushRecordDecodeException.class);
      decodeOrTypedError(prefix); // the same error with a label cache
    }
  }

  @Property(tries = 400)
  void mutatedBodyRecordsNeverEscapeAsUntypedErrors(@ForAll long seed, @ForAll @IntRange(min = 0, max = 10_000) int where,
      @ForAll byte value) {
    java.util.Random rnd = new java.util.Random(seed);
    KeptBody push = keptBody(rnd);
    byte[] record = encodeWithBody("t", push.decoded, push);
    record[where % record.length] = value;
    decodeOrTypedError(record);
  }

  /** A shipper's batch of similar lines: the record holding the body is well under half the line-by-line one. */
  @Example
  void aRecordWithTheBodyIsFarSmallerThanOneWithEveryLine() throws Exception {
    java.util.Random rnd = new java.util.Random(7);
    List<String> labelTexts = new java.util.ArrayList<>();
    List<List<LogEntry>> entries = new java.util.ArrayList<>();
    for (int s = 0; s < 10; s++) {
      labelTexts.add("{job=\"bench\", stream=\"" + s + "\"}");
      List<LogEntry> es = new java.util.ArrayList<>();
      for (int e = 0; e < 100; e++) {
        es.add(LogEntry.of(1_700_000_000_000_000_000L + e * 1_000_000L, "081109 2036" + (10 + e % 50)
            + " 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_" + rnd.nextLong()
            + " terminating req=" + Integer.toHexString(rnd.nextInt())));
      }
      entries.add(es);
    }
    KeptBody push = decodeKept(labelTexts, entries);
    PushRequest stored = withLevel(push.decoded, "info");
    byte[] withBody = encodeWithBody("t", stored, push);
    byte[] lineByLine = PushRecordCodec.encode("t", stored);
    assertThat(withBody[0]).isEqualTo((byte) PushRecordCodec.VERSION_WITH_BODY);
    assertThat(withBody.length).isLessThan(lineByLine.length / 2);
    assertThat(PushRecordCodec.decode(withBody).request()).isEqualTo(stored);
  }

  /** A body is kept for one record: the same request pushed again is written line by line. */
  @Example
  void aKeptBodyIsClaimedOnce() {
    KeptBody push = decodeKept(List.of("{a=\"1\"}"), List.of(List.of(LogEntry.of(5, "x"))));
    io.lodge.ingester.model.PushSource source = push.decoded.source();
    assertThat(source).isNotNull();
    byte[] body = source.claim();
    assertThat(body).isNotNull();
    assertThat(source.claim()).isNull();
  }

  record KeptBody(PushRequest decoded, byte[] body) {}

  static byte[] encodeWithBody(String tenant, PushRequest stored, KeptBody push) {
    EncodedRecord r = PushRecordCodec.encodePooled(tenant, stored, push.decoded.streams(), push.body, push.body.length);
    return Arrays.copyOf(r.bytes(), r.length());
  }

  static KeptBody keptBody(java.util.Random rnd) {
    List<String> labelTexts = new java.util.ArrayList<>();
    List<List<LogEntry>> entries = new java.util.ArrayList<>();
    String[] lines = {"", "dup", "GET /index.html 200", "ERROR disk full", "dup"};
    for (int s = 0, n = 1 + rnd.nextInt(4); s < n; s++) {
      // label sets repeat within a push now and then: matching must not take another stream's entries
      labelTexts.add("{app=\"a\", s=\"" + rnd.nextInt(3) + "\"}");
      List<LogEntry> es = new java.util.ArrayList<>();
      for (int e = 0, m = rnd.nextInt(25); e < m; e++) {
        String line = rnd.nextInt(3) == 0 ? lines[rnd.nextInt(lines.length)] : "line " + rnd.nextInt(1000) + " of " + s;
        List<Label> md = rnd.nextInt(5) == 0 ? List.of(new Label("trace_id", "t" + rnd.nextInt(3))) : List.of();
        es.add(LogEntry.of(rnd.nextLong() >> rnd.nextInt(64), line, md));
      }
      entries.add(es);
    }
    return decodeKept(labelTexts, entries);
  }

  private static KeptBody decodeKept(List<String> labelTexts, List<List<LogEntry>> entries) {
    io.lodge.proto.logproto.PushRequest.Builder req = io.lodge.proto.logproto.PushRequest.newBuilder();
    for (int i = 0; i < labelTexts.size(); i++) {
      io.lodge.proto.logproto.StreamAdapter.Builder s = io.lodge.proto.logproto.StreamAdapter.newBuilder()
          .setLabels(labelTexts.get(i));
      for (LogEntry e : entries.get(i)) {
        io.lodge.proto.logproto.EntryAdapter.Builder b = io.lodge.proto.logproto.EntryAdapter.newBuilder()
            .setTimestamp(com.google.protobuf.Timestamp.newBuilder()
                .setSeconds(Math.floorDiv(e.timestampNanos(), 1_000_000_000L))
                .setNanos((int) Math.floorMod(e.timestampNanos(), 1_000_000_000L)))
            .setLineBytes(com.google.protobuf.ByteString.copyFrom(e.line()));
        for (Label l : e.metadata()) {
          b.addStructuredMetadata(io.lodge.proto.logproto.LabelPairAdapter.newBuilder().setName(l.name()).setValue(l.value()));
        }
        s.addEntries(b);
      }
      req.addStreams(s);
    }
    byte[] body;
    try {
      body = org.xerial.snappy.Snappy.compress(req.build().toByteArray());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    io.lodge.ingester.push.ProtobufPushDecoder decoder = new io.lodge.ingester.push.ProtobufPushDecoder(
        new io.lodge.ingester.push.ServiceNameDiscovery(List.of()), io.netty.buffer.ByteBufAllocator.DEFAULT, 1 << 24);
    PushRequest decoded = decoder.decodeSnappy(io.netty.buffer.Unpooled.wrappedBuffer(body));
    return new KeptBody(decoded, body);
  }

  /** What the validator and the limits may do to a push, at random. */
  static PushRequest validated(PushRequest decoded, java.util.Random rnd) {
    List<PushStream> kept = new java.util.ArrayList<>();
    for (PushStream s : decoded.streams()) {
      if (rnd.nextInt(6) == 0) continue;
      List<LogEntry> entries = new java.util.ArrayList<>();
      for (LogEntry e : s.entries()) {
        if (rnd.nextInt(6) == 0) continue;
        long ts = rnd.nextInt(8) == 0 ? e.timestampNanos() + 1 + rnd.nextInt(5) : e.timestampNanos();
        byte[] line = rnd.nextInt(8) == 0 ? Arrays.copyOf(e.line(), rnd.nextInt(e.line().length + 1)) : e.line();
        List<Label> md = switch (rnd.nextInt(5)) {
          case 0 -> e.metadata();
          case 1 -> List.of(new Label("detected_level", "Warning")); // a level label's verbatim value
          case 2 -> {
            List<Label> withLevel = new java.util.ArrayList<>(e.metadata());
            withLevel.add(new Label("detected_level", "error"));
            yield withLevel;
          }
          default -> e.metadata().isEmpty() ? List.of(new Label("detected_level",
              io.lodge.ingester.validate.LevelDetector.LEVELS.get(rnd.nextInt(io.lodge.ingester.validate.LevelDetector.LEVELS.size())))) : e.metadata();
        };
        entries.add(new LogEntry(ts, line, md));
      }
      if (!entries.isEmpty()) kept.add(new PushStream(s.labels(), entries));
    }
    return new PushRequest(kept);
  }

  private static PushRequest withLevel(PushRequest r, String level) {
    List<Label> md = List.of(new Label("detected_level", level));
    return new PushRequest(r.streams().stream().map(s -> new PushStream(s.labels(),
        s.entries().stream().map(e -> new LogEntry(e.timestampNanos(), e.line(), md)).toList())).toList());
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

  /** A label cache shared by the decodes below, as replay's decoding thread keeps one for the whole WAL. */
  private static final RecordLabelCache WARM = new RecordLabelCache();

  /**
   * Decodes with and without a (warm) label cache: the same push or the same error at the same offset;
   * an error is always typed.
   */
  private static void decodeOrTypedError(byte[] bytes) {
    DecodedPush plain = null;
    PushRecordDecodeException plainError = null;
    try {
      plain = PushRecordCodec.decode(bytes);
    } catch (PushRecordDecodeException expected) {
      assertThat(expected.offset()).isBetween(0, bytes.length);
      plainError = expected;
    }
    try {
      DecodedPush cached = PushRecordCodec.decode(bytes, WARM);
      assertThat(plainError).as("decoded with the cache only").isNull();
      assertThat(cached).isEqualTo(plain);
    } catch (PushRecordDecodeException e) {
      assertThat(plainError).as("failed with the cache only: " + e.getMessage()).isNotNull();
      assertThat(e.offset()).isEqualTo(plainError.offset());
      assertThat(e.getMessage()).isEqualTo(plainError.getMessage());
    }
  }

  @Example
  void labelSectionsPastTheCacheBoundAreDecodedEveryTime() throws Exception {
    RecordLabelCache cache = new RecordLabelCache();
    String longValue = "v".repeat(RecordLabelCache.MAX_KEY_BYTES);
    PushRequest request = new PushRequest(List.of(
        new PushStream(LabelSet.of("app", "a", "long", longValue), List.of(LogEntry.of(1, "x"))),
        new PushStream(LabelSet.of("app", "b"), List.of(LogEntry.of(2, "y")))));
    byte[] record = PushRecordCodec.encode("t", request);
    DecodedPush first = PushRecordCodec.decode(record, cache);
    DecodedPush second = PushRecordCodec.decode(record, cache);
    assertThat(first.request()).isEqualTo(request);
    assertThat(second.request()).isEqualTo(request);
    assertThat(second.request().streams().get(0).labels()).as("not kept").isNotSameAs(first.request().streams().get(0).labels());
    assertThat(second.request().streams().get(1).labels()).as("kept").isSameAs(first.request().streams().get(1).labels());
  }

  @Property(tries = 200)
  void aLabelCacheDecodesTheSamePushesAndSharesTheirLabelSets(@ForAll long seed) throws Exception {
    java.util.Random rnd = new java.util.Random(seed);
    RecordLabelCache cache = new RecordLabelCache();
    KeptBody push = keptBody(rnd);
    for (byte[] record : List.of(encodeWithBody("t", validated(push.decoded, rnd), push),
        PushRecordCodec.encode("t", push.decoded), encodeWithBody("t", push.decoded, push))) {
      DecodedPush cached = PushRecordCodec.decode(record, cache);
      assertThat(cached).isEqualTo(PushRecordCodec.decode(record));
      DecodedPush again = PushRecordCodec.decode(record, cache);
      for (int i = 0; i < cached.request().streams().size(); i++) {
        assertThat(again.request().streams().get(i).labels()).isSameAs(cached.request().streams().get(i).labels());
      }
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
