package io.lodge.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.head.BlockColumns;
import io.lodge.ingester.head.EntrySnapshot;
import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LogEntry;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link BlockBuilder} with pooled encode scratch, and {@link ChunkBlockCodec} with pooled builders, write
 * byte for byte what {@link OldBlockBuilder} (the encoder before pooling, allocating everything per
 * block) writes: one reused builder over a sequence of random blocks of different sizes, so every block
 * meets buffers and a token set dirtied by the previous ones.
 */
class BlockEncodeOracleTest {
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
      SealedBlock got = codec.encode(BlockColumns.of(new EntrySnapshot(ts, lines, metadata, want.rawBytes())));
      assertThat(got.bytes()).isEqualTo(want.bytes());
      assertThat(got.count()).isEqualTo(n);
    }
  }
}
