package io.lodge.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.ingester.head.BlockColumns;
import io.lodge.ingester.head.EntrySnapshot;
import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link BlockBuilder} with pooled encode scratch, and {@link ChunkBlockCodec} with pooled builders, write
 * byte for byte what {@link OldBlockBuilder} (the encoder before pooling, allocating everything per
 * block) writes: one reused builder over a sequence of random blocks of different sizes, so every block
 * meets buffers and a token set dirtied by the previous ones. Encoding a column set (in arrival order,
 * with or without a sort order) writes the same bytes too.
 */
class BlockEncodeOracleTest {
  private static final LabelSet STREAM = LabelSet.of("app", "oracle");
  private static final int LEVEL = 3;

  @Provide
  Arbitrary<List<List<LogEntry>>> blocks() {
    return EntryArbitraries.entries(80).list().ofMinSize(1).ofMaxSize(6);
  }

  @Property(tries = 60)
  void reusedBuilderWritesTheSameBytesAsAFreshOne(@ForAll("blocks") List<List<LogEntry>> blocks) {
    BlockBuilder reused = new BlockBuilder(LEVEL);
    for (List<LogEntry> entries : blocks) {
      reused.reset();
      OldBlockBuilder fresh = new OldBlockBuilder(LEVEL);
      for (LogEntry e : entries) {
        reused.append(e);
        fresh.append(e);
      }
      EncodedBlock got = reused.encode();
      EncodedBlock want = fresh.encode();
      assertThat(got.bytes()).isEqualTo(want.bytes());
      // encoding twice without a reset gives the same block again
      assertThat(reused.encode().bytes()).isEqualTo(want.bytes());
    }
  }

  @Property(tries = 40)
  void pooledCodecWritesTheSameBytesAsAFreshBuilder(@ForAll("blocks") List<List<LogEntry>> blocks) {
    ChunkBlockCodec codec = new ChunkBlockCodec(LEVEL);
    for (List<LogEntry> entries : blocks) {
      int n = entries.size();
      long[] ts = new long[n];
      byte[][] lines = new byte[n][];
      @SuppressWarnings("unchecked")
      List<Label>[] metadata = (List<Label>[]) new List<?>[n];
      OldBlockBuilder fresh = new OldBlockBuilder(LEVEL);
      long raw = 0;
      for (int i = 0; i < n; i++) {
        LogEntry e = entries.get(i);
        ts[i] = e.timestampNanos();
        lines[i] = e.line();
        metadata[i] = e.metadata();
        fresh.append(e);
      }
      EncodedBlock want = fresh.encode();
      SealedBlock got = codec.encode("t", STREAM, BlockColumns.of(new EntrySnapshot(ts, lines, metadata, want.rawBytes())));
      assertThat(got.bytes()).isEqualTo(want.bytes());
      assertThat(got.count()).isEqualTo(n);
    }
  }

  @Property(tries = 40)
  void columnSetsWriteTheSameBytesAsTheOldBuilder(@ForAll("blocks") List<List<LogEntry>> blocks, @ForAll long seed) {
    ChunkBlockCodec codec = new ChunkBlockCodec(LEVEL);
    Random rnd = new Random(seed);
    for (List<LogEntry> sortedEntries : blocks) {
      List<LogEntry> arrival = new ArrayList<>(sortedEntries);
      boolean shuffle = rnd.nextBoolean();
      if (shuffle) Collections.shuffle(arrival, rnd);
      int n = arrival.size();
      long[] ts = new long[n];
      int[] ends = new int[n];
      @SuppressWarnings("unchecked")
      List<Label>[] metadata = (List<Label>[]) new List<?>[n];
      java.io.ByteArrayOutputStream lines = new java.io.ByteArrayOutputStream();
      for (int i = 0; i < n; i++) {
        LogEntry e = arrival.get(i);
        ts[i] = e.timestampNanos();
        lines.writeBytes(e.line());
        ends[i] = lines.size();
        metadata[i] = e.metadata().isEmpty() && rnd.nextBoolean() ? null : e.metadata(); // null = no metadata
      }
      // the order a stable sort of the arrival gives, and the oracle built from that same order
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < n; i++) order.add(i);
      order.sort(Comparator.comparingLong(i -> ts[i]));
      boolean sorted = true;
      for (int i = 0; i < n; i++) sorted &= order.get(i) == i;
      OldBlockBuilder fresh = new OldBlockBuilder(LEVEL);
      for (int i : order) fresh.append(arrival.get(i));
      EncodedBlock want = fresh.encode();
      int[] orderArray = sorted ? null : order.stream().mapToInt(Integer::intValue).toArray();
      BlockColumns columns = BlockColumns.of(ts, ends, lines.toByteArray(), metadata, n, orderArray, want.rawBytes());
      assertThat(codec.encode("t", STREAM, columns).bytes()).as("shuffled=%s", shuffle).isEqualTo(want.bytes());
      if (sorted) {
        byte[] direct = new BlockBuilder(LEVEL).encode(ts, ends, lines.toByteArray(), metadata, n).bytes();
        assertThat(direct).isEqualTo(want.bytes());
      }
    }
  }

  @net.jqwik.api.Example
  void columnSetsOutOfOrderOrOverrunningTheirLinesAreRefused() {
    byte[] ab = "ab".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    BlockBuilder b = new BlockBuilder(LEVEL);
    assertThatThrownBy(() -> b.encode(new long[] {2, 1}, new int[] {1, 2}, ab, null, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timestamp 1 of entry 1 before the previous entry's 2");
    assertThatThrownBy(() -> b.encode(new long[] {1, 2}, new int[] {2, 1}, ab, null, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line end 1 of entry 1 before its start 2");
    assertThatThrownBy(() -> b.encode(new long[] {1, 2}, new int[] {1, 3}, ab, null, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> b.encode(new long[0], new int[0], ab, null, 0)).isInstanceOf(IllegalStateException.class);
  }
}
