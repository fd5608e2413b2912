package io.lodge.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ChunkRoundTripTest {
  static final LabelSet LABELS = LabelSet.of("app", "web \"1\"", "env", "prod", "ünï", "日本");

  @Provide
  Arbitrary<List<LogEntry>> entries() {
    return EntryArbitraries.entries(120);
  }

  /** Cuts sorted entries into blocks of at most {@code perBlock} entries and writes a chunk. */
  static byte[] chunkOf(String tenant, LabelSet labels, List<LogEntry> entries, int perBlock) {
    BlockBuilder b = new BlockBuilder();
    List<EncodedBlock> blocks = new ArrayList<>();
    for (LogEntry e : entries) {
      b.append(e);
      if (b.entryCount() == perBlock) {
        blocks.add(b.encode());
        b.reset();
      }
    }
    if (!b.isEmpty()) blocks.add(b.encode());
    return ChunkWriter.write(tenant, labels, blocks);
  }

  @Property(tries = 100)
  void chunkRoundTripsEveryEntryAndTheHeader(@ForAll("entries") List<LogEntry> entries,
      @ForAll @IntRange(min = 1, max = 40) int perBlock) {
    byte[] bytes = chunkOf("tenant-1", LABELS, entries, perBlock);
    ChunkReader r = ChunkReader.open(bytes, "tenant-1/chunks/x");
    ChunkHeader h = r.header();
    assertThat(h.version()).isEqualTo(1);
    assertThat(h.tenant()).isEqualTo("tenant-1");
    assertThat(h.labels()).isEqualTo(LABELS);
    assertThat(h.entries()).isEqualTo(entries.size());
    assertThat(h.minTimestamp()).isEqualTo(entries.get(0).timestampNanos());
    assertThat(h.maxTimestamp()).isEqualTo(entries.get(entries.size() - 1).timestampNanos());
    assertThat(h.rawBytes()).isEqualTo(entries.stream().mapToLong(LogEntry::sizeBytes).sum());
    assertThat(h.blockCount()).isEqualTo((entries.size() + perBlock - 1) / perBlock);
    assertThat(r.checksum()).isEqualTo(ChunkWriter.checksum(bytes));

    List<LogEntry> back = new ArrayList<>();
    List<Long> tsOnly = new ArrayList<>();
    DecodedBlock d = new DecodedBlock();
    for (int i = 0; i < r.blockCount(); i++) {
      BlockReader br = r.readBlock(i);
      back.addAll(BlockRoundTripTest.decoded(br.readEntries(d)));
      br.readTimestamps(d);
      for (int j = 0; j < d.size(); j++) tsOnly.add(d.timestamps()[j]);
    }
    assertThat(back).isEqualTo(entries);
    assertThat(tsOnly).isEqualTo(entries.stream().map(LogEntry::timestampNanos).toList());
  }

  @Property(tries = 200)
  void blocksOverlappingMatchesAScanOfEveryBlock(@ForAll("entries") List<LogEntry> entries,
      @ForAll @IntRange(min = 1, max = 10) int perBlock, @ForAll long a, @ForAll long b) {
    ChunkReader r = ChunkReader.open(chunkOf("t", LABELS, entries, perBlock), null);
    long from = Math.min(a, b), to = Math.max(a, b);
    // sometimes query right around the data, where it matters
    if ((a & 1) == 0) {
      long lo = entries.get(0).timestampNanos();
      from = lo + (a % 1000);
      to = from + Math.abs(b % 5_000_000);
    }
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < r.blockCount(); i++) {
      DecodedBlock d = r.readBlock(i).readTimestamps(new DecodedBlock());
      for (int j = 0; j < d.size(); j++) {
        if (d.timestamp(j) >= from && d.timestamp(j) < to) {
          expected.add(i);
          break;
        }
      }
    }
    List<Integer> got = new ArrayList<>();
    for (int i : r.blocksOverlapping(from, to)) got.add(i);
    // every block holding an entry in range is returned; returned blocks at least span the range
    assertThat(got).containsAll(expected);
    for (int i : got) assertThat(r.blocks().get(i).overlaps(from, to)).isTrue();
  }

  @Test
  void writerRefusesNoBlocksAndUnorderedBlocks() {
    BlockBuilder b = new BlockBuilder();
    b.append(LogEntry.of(100, "late"));
    EncodedBlock late = b.encode();
    b.reset();
    b.append(LogEntry.of(50, "early"));
    EncodedBlock early = b.encode();
    assertThatThrownBy(() -> ChunkWriter.write("t", LABELS, List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChunkWriter.write("t", LABELS, List.of(late, early)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before the previous");
    // overlapping blocks are fine as long as they start in order
    byte[] ok = ChunkWriter.write("t", LabelSet.EMPTY, List.of(early, late, late));
    assertThat(ChunkReader.open(ok, null).header().entries()).isEqualTo(3);
    assertThat(ChunkReader.open(ok, null).header().labels()).isEqualTo(LabelSet.EMPTY);
  }

  @Test
  void aFutureVersionIsReportedAsSuch() {
    byte[] bytes = chunkOf("t", LABELS, List.of(LogEntry.of(1, "x")), 1);
    bytes[4] = 2;
    fixChunkCrc(bytes);
    assertThatThrownBy(() -> ChunkReader.open(bytes, "t/chunks/k")).isInstanceOf(ChunkFormatException.class)
        .hasMessage("chunk t/chunks/k: bad format version at offset 4: expected 1, got 2");
  }

  /** Rewrites the footer CRC so a test can reach the checks behind it. */
  static void fixChunkCrc(byte[] bytes) {
    int crc = ChunkFormat.crc32c(bytes, 0, bytes.length - 8);
    for (int i = 0; i < 4; i++) bytes[bytes.length - 8 + i] = (byte) (crc >>> (8 * i));
  }
}
