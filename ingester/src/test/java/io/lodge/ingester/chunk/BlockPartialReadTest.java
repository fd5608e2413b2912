package io.lodge.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.ingester.model.LogEntry;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The partial reads ({@link BlockReader#readColumns}, {@link BlockReader#readLines} then
 * {@link BlockReader#addTimestamps}) give exactly what a full {@link BlockReader#readEntries} gives for
 * the columns they decode, and refuse access to the columns they skip.
 */
class BlockPartialReadTest {
  @Provide
  Arbitrary<List<LogEntry>> entries() {
    return EntryArbitraries.entries(200);
  }

  private static BlockReader block(List<LogEntry> entries) {
    BlockBuilder b = new BlockBuilder();
    for (LogEntry e : entries) b.append(e);
    EncodedBlock enc = b.encode();
    return BlockReader.open(enc.bytes(), 0, enc.bytes().length, "test");
  }

  @Property(tries = 100)
  void partialReadsAgreeWithTheFullRead(@ForAll("entries") List<LogEntry> entries) {
    BlockReader r = block(entries);
    DecodedBlock full = r.readEntries(new DecodedBlock());
    DecodedBlock reused = new DecodedBlock();
    for (boolean lines : new boolean[] {false, true}) {
      for (boolean meta : new boolean[] {false, true}) {
        DecodedBlock d = r.readColumns(reused, lines, meta);
        assertThat(d.size()).isEqualTo(full.size());
        for (int i = 0; i < d.size(); i++) {
          assertThat(d.timestamp(i)).isEqualTo(full.timestamp(i));
          assertThat(d.lineLength(i)).isEqualTo(full.lineLength(i));
          if (lines) assertThat(d.line(i)).isEqualTo(full.line(i));
          if (meta) assertThat(d.metadata(i)).isEqualTo(full.metadata(i));
        }
        if (!lines) assertThatThrownBy(d::lineBytes).isInstanceOf(IllegalStateException.class);
        if (!meta) assertThatThrownBy(() -> d.metadata(0)).isInstanceOf(IllegalStateException.class);
      }
    }
    DecodedBlock l = r.readLines(reused);
    assertThatThrownBy(() -> l.timestamp(0)).isInstanceOf(IllegalStateException.class);
    for (int i = 0; i < l.size(); i++) assertThat(l.line(i)).isEqualTo(full.line(i));
    r.addTimestamps(l, true);
    for (int i = 0; i < l.size(); i++) {
      assertThat(l.timestamp(i)).isEqualTo(full.timestamp(i));
      assertThat(l.line(i)).isEqualTo(full.line(i));
      assertThat(l.metadata(i)).isEqualTo(full.metadata(i));
    }
    assertThat(r.readTimestamps(reused).size()).isEqualTo(full.size());
    assertThatThrownBy(() -> reused.lineLength(0)).isInstanceOf(IllegalStateException.class);
  }
}
