package io.lodge.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LogEntry;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class BlockRoundTripTest {
  @Provide
  Arbitrary<List<LogEntry>> entries() {
    return EntryArbitraries.entries(60);
  }

  @Property(tries = 150)
  void blockRoundTripsEveryEntry(@ForAll("entries") List<LogEntry> entries) {
    BlockBuilder b = new BlockBuilder();
    entries.forEach(b::append);
    EncodedBlock enc = b.encode();

    BlockReader r = BlockReader.open(enc.bytes(), 0, enc.bytes().length, "k");
    assertThat(r.header()).isEqualTo(enc.header());
    assertThat(r.entryCount()).isEqualTo(entries.size());
    assertThat(r.minTimestamp()).isEqualTo(entries.get(0).timestampNanos());
    assertThat(r.maxTimestamp()).isEqualTo(entries.get(entries.size() - 1).timestampNanos());
    assertThat(enc.rawBytes()).isEqualTo(entries.stream().mapToLong(LogEntry::sizeBytes).sum());

    DecodedBlock d = r.readEntries(new DecodedBlock());
    assertThat(decoded(d)).isEqualTo(entries);

    // the same block inside a bigger array, and parsed back as an EncodedBlock
    byte[] framed = new byte[enc.bytes().length + 11];
    System.arraycopy(enc.bytes(), 0, framed, 7, enc.bytes().length);
    assertThat(decoded(BlockReader.open(framed, 7, enc.bytes().length, "k").readEntries(new DecodedBlock())))
        .isEqualTo(entries);
    assertThat(EncodedBlock.parse(enc.bytes(), "k").header()).isEqualTo(enc.header());

    // only timestamps: same values, lines untouched
    DecodedBlock t = r.readTimestamps(new DecodedBlock());
    assertThat(t.hasEntries()).isFalse();
    for (int i = 0; i < entries.size(); i++) assertThat(t.timestamp(i)).isEqualTo(entries.get(i).timestampNanos());

    // lowerBound agrees with a linear scan, at every timestamp and just around it
    for (LogEntry e : entries) {
      for (long q : new long[] {e.timestampNanos() - 1, e.timestampNanos(), e.timestampNanos() + 1}) {
        int expected = 0;
        while (expected < entries.size() && entries.get(expected).timestampNanos() < q) expected++;
        assertThat(t.lowerBound(q)).as("lowerBound(%d)", q).isEqualTo(expected);
      }
    }
  }

  @Property(tries = 40)
  void oneBuilderAndOneDecodedBlockAreReusable(@ForAll("entries") List<LogEntry> a, @ForAll("entries") List<LogEntry> b) {
    BlockBuilder builder = new BlockBuilder(1);
    DecodedBlock scratch = new DecodedBlock();
    for (List<LogEntry> es : List.of(a, b, a)) {
      builder.reset();
      es.forEach(builder::append);
      EncodedBlock enc = builder.encode();
      assertThat(decoded(enc.reader().readEntries(scratch))).isEqualTo(es);
    }
  }

  @Test
  void outOfOrderAppendIsRefused() {
    BlockBuilder b = new BlockBuilder();
    b.append(LogEntry.of(10, "a"));
    b.append(LogEntry.of(10, "b"));
    assertThatThrownBy(() -> b.append(LogEntry.of(9, "c"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("before the previous");
    assertThatThrownBy(() -> new BlockBuilder().encode()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void appendCopiesOnlyTheGivenSlice() {
    BlockBuilder b = new BlockBuilder();
    byte[] buf = "xxhello worldyy".getBytes();
    b.append(5, buf, 2, 11, List.of(new Label("trace_id", "t1")));
    buf[3] = 'J'; // the builder must have copied
    DecodedBlock d = b.encode().reader().readEntries(new DecodedBlock());
    assertThat(d.lineString(0)).isEqualTo("hello world");
    assertThat(d.metadata(0)).containsExactly(new Label("trace_id", "t1"));
    assertThat(d.lineOffset(0)).isZero();
  }

  @Test
  void incompressibleColumnsAreStoredRaw() {
    BlockBuilder b = new BlockBuilder();
    java.util.Random rnd = new java.util.Random(7);
    byte[] noise = new byte[4096];
    rnd.nextBytes(noise);
    b.append(1, noise, 0, noise.length, List.of());
    EncodedBlock enc = b.encode();
    assertThat(enc.header().lines().codec()).isEqualTo(ColumnCodec.RAW_ID);
    assertThat(enc.reader().readEntries(new DecodedBlock()).line(0)).isEqualTo(noise);
  }

  static List<LogEntry> decoded(DecodedBlock d) {
    List<LogEntry> out = new ArrayList<>(d.size());
    for (int i = 0; i < d.size(); i++) out.add(d.entry(i));
    return out;
  }
}
