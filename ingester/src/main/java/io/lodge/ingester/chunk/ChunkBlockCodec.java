package io.lodge.ingester.chunk;

import io.lodge.ingester.head.BlockCodec;
import io.lodge.ingester.head.EntrySnapshot;
import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.model.Label;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The head's block codec: seals sorted entries with {@link BlockBuilder} into the chunk block format, so
 * that flushing concatenates the head's blocks into a chunk without recompressing them.
 */
public final class ChunkBlockCodec implements BlockCodec {
  /** Builders kept between seals; more concurrent seals than this just build with a fresh one. */
  private static final int POOL_SIZE = 4;
  /** A builder grown beyond this by one huge block is dropped rather than pinned in the pool. */
  private static final long MAX_POOLED_BYTES = 16L << 20;

  private final int zstdLevel;
  // A fresh builder per seal regrew its line buffer from 256 bytes to the block size (copying it ~10
  // times); sealing runs on the WAL writer thread, so builders are reused through a small pool instead.
  private final ArrayBlockingQueue<BlockBuilder> builders = new ArrayBlockingQueue<>(POOL_SIZE);

  public ChunkBlockCodec(int zstdLevel) {
    this.zstdLevel = zstdLevel;
  }

  @Override
  public SealedBlock encode(EntrySnapshot sorted) {
    BlockBuilder b = builders.poll();
    if (b == null) b = new BlockBuilder(zstdLevel);
    try {
      for (int i = 0; i < sorted.size(); i++) {
        byte[] line = sorted.lines()[i];
        b.append(sorted.timestamps()[i], line, 0, line.length, sorted.metadata()[i]);
      }
      EncodedBlock e = b.encode();
      return new SealedBlock(e.minTimestamp(), e.maxTimestamp(), e.entryCount(), e.rawBytes(), e.bytes());
    } finally {
      b.reset();
      if (b.retainedBytes() <= MAX_POOLED_BYTES) builders.offer(b);
    }
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
