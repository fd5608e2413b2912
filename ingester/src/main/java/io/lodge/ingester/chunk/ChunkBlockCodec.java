package io.lodge.ingester.chunk;

import io.lodge.ingester.head.BlockCodec;
import io.lodge.ingester.head.BlockColumns;
import io.lodge.ingester.head.EntrySnapshot;
import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The head's block codec: seals a frozen block's columns with {@link BlockBuilder} into the chunk block
 * format, so that flushing concatenates the head's blocks into a chunk without recompressing them.
 *
 * <p>Lines are not copied per entry: a sorted block whose lines sit in one array is compressed in place;
 * a sorted block on several pages is gathered into a pooled buffer with one copy per page; an unsorted
 * block is copied once, in timestamp order, into pooled buffers ({@link EncodeScratch}). The lines column
 * is compressed with the dictionary its {@link LineDictionaryPolicy} chooses for the stream, if any; a
 * block sealed without one is offered to the policy to learn from.
 */
public final class ChunkBlockCodec implements BlockCodec {
  /** Builders kept between seals; more concurrent seals than this just build with a fresh one. */
  private static final int POOL_SIZE = 4;

  private final int zstdLevel;
  private final int blockBytes;
  private final LineDictionaryPolicy dictionaries;
  // A builder holds the zstd level's codec and nothing else the column path uses; kept to avoid
  // creating one per seal.
  private final ArrayBlockingQueue<BlockBuilder> builders = new ArrayBlockingQueue<>(POOL_SIZE);

  /** A codec that never uses a dictionary. */
  public ChunkBlockCodec(int zstdLevel) {
    this(zstdLevel, LineDictionaryPolicy.NONE);
  }

  public ChunkBlockCodec(int zstdLevel, LineDictionaryPolicy dictionaries) {
    this(zstdLevel, dictionaries, 0);
  }

  /** For head blocks of about {@code blockBytes} of lines ({@code chunk_block_size}; 0: not known). */
  public ChunkBlockCodec(int zstdLevel, LineDictionaryPolicy dictionaries, int blockBytes) {
    this.zstdLevel = zstdLevel;
    this.blockBytes = blockBytes;
    this.dictionaries = java.util.Objects.requireNonNull(dictionaries, "dictionaries");
  }

  @Override
  public SealedBlock encode(String tenant, LabelSet labels, BlockColumns c) {
    LineDictionary dict = dictionaries.choose(tenant, labels);
    BlockBuilder b = builders.poll();
    if (b == null) b = new BlockBuilder(zstdLevel, blockBytes);
    int n = c.count();
    EncodeScratch s = EncodeScratch.borrow();
    boolean gatheredMetadata = false;
    try {
      EncodedBlock e;
      if (c.isSorted()) {
        byte[] lines = c.contiguousLines();
        if (lines == null) {
          lines = s.gathered(c.lineBytes());
          c.copyLines(lines);
        }
        if (dict == null) dictionaries.offer(tenant, labels, lines, c.lineEnds(), n);
        e = b.encode(c.timestamps(), c.lineEnds(), lines, c.metadata(), n, s, dict);
      } else {
        long[] ts = s.sortedTs(n);
        int[] ends = s.sortedEnds(n);
        byte[] lines = s.gathered(c.lineBytes());
        List<Label>[] md = s.sortedMetadata(n);
        gatheredMetadata = true;
        c.copySorted(ts, ends, lines, md);
        if (dict == null) dictionaries.offer(tenant, labels, lines, ends, n);
        e = b.encode(ts, ends, lines, md, n, s, dict);
      }
      return new SealedBlock(e.minTimestamp(), e.maxTimestamp(), e.entryCount(), e.rawBytes(), e.bytes());
    } finally {
      if (gatheredMetadata) s.clearMetadata(n);
      EncodeScratch.release(s);
      builders.offer(b);
    }
  }

  /** The id of the dictionary the stream's block would be compressed with (0: none). */
  @Override
  public long affinity(String tenant, LabelSet labels) {
    LineDictionary d = dictionaries.choose(tenant, labels);
    return d == null ? 0 : d.id();
  }

  @Override
  public EntrySnapshot decode(SealedBlock block) {
    DecodedBlock d = BlockReader.open(block.bytes(), 0, block.bytes().length, "head block", dictionaries, null)
        .readEntries(new DecodedBlock());
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
