package io.lodge.ingester.chunk;

import io.lodge.ingester.head.BlockCodec;
import io.lodge.ingester.head.EntrySnapshot;
import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.model.Label;
import java.util.List;

/**
 * The head's block codec: seals sorted entries with {@link BlockBuilder} into the chunk block format, so
 * that flushing concatenates the head's blocks into a chunk without recompressing them.
 */
public final class ChunkBlockCodec implements BlockCodec {
  private final int zstdLevel;

  public ChunkBlockCodec(int zstdLevel) {
    this.zstdLevel = zstdLevel;
  }

  @Override
  public SealedBlock encode(EntrySnapshot sorted) {
    BlockBuilder b = new BlockBuilder(zstdLevel);
    for (int i = 0; i < sorted.size(); i++) {
      byte[] line = sorted.lines()[i];
      b.append(sorted.timestamps()[i], line, 0, line.length, sorted.metadata()[i]);
    }
    EncodedBlock e = b.encode();
    return new SealedBlock(e.minTimestamp(), e.maxTimestamp(), e.entryCount(), e.rawBytes(), e.bytes());
  }

  @Override
  public EntrySnapshot decode(SealedBlock block) {
    DecodedBlock d = BlockReader.open(block.bytes(), 0, block.bytes().length, "head block").readEntries(new DecodedBlock());
    int n = d.size();
    long[] ts = new long[n];
    byte[][] lines = new byte[n][];
    @SuppressWarnings("unchecked")
    List<Label>[] metadata = (List<Label>[]) new List<?>[n];
    for (int i = 0; i < n; i++) {
      ts[i] = d.timestamp(i);
      lines[i] = d.line(i);
      metadata[i] = d.metadata(i);
    }
    return new EntrySnapshot(ts, lines, metadata, block.rawBytes());
  }
}
