package io.lodge.ingester.flush;

import io.lodge.ingester.chunk.BlockIndexEntry;
import io.lodge.ingester.chunk.ChunkKeys;
import io.lodge.ingester.chunk.ChunkReader;
import io.lodge.ingester.chunk.ChunkWriter;
import io.lodge.ingester.chunk.EncodedBlock;
import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.index.ChunkRef;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.store.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Chunks as objects in an {@link ObjectStore}, in the chunk format of {@link ChunkWriter}. */
public final class ObjectChunkStore implements ChunkStore {
  private final ObjectStore objects;

  public ObjectChunkStore(ObjectStore objects) {
    this.objects = objects;
  }

  @Override
  public ChunkRef write(String tenant, LabelSet labels, List<SealedBlock> blocks) {
    List<SealedBlock> sorted = new ArrayList<>(blocks);
    sorted.sort(Comparator.comparingLong(SealedBlock::minTs)); // out-of-order writes can seal blocks out of order
    List<EncodedBlock> encoded = new ArrayList<>(sorted.size());
    long from = Long.MAX_VALUE, through = Long.MIN_VALUE, entries = 0, raw = 0;
    for (SealedBlock b : sorted) {
      encoded.add(EncodedBlock.parse(b.bytes(), "head block of " + labels));
      from = Math.min(from, b.minTs());
      through = Math.max(through, b.maxTs());
      entries += b.count();
      raw += b.rawBytes();
    }
    byte[] chunk = ChunkWriter.write(tenant, labels, encoded);
    String key = ChunkKeys.key(tenant, labels.hash(), from, through, ChunkWriter.checksum(chunk));
    try {
      objects.put(key, chunk);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write chunk " + key + ": " + e.getMessage(), e);
    }
    return new ChunkRef(tenant, labels, from, through, key, entries, raw, chunk.length);
  }

  @Override
  public List<SealedBlock> read(ChunkRef ref, long fromNanos, long toNanos) {
    byte[] bytes;
    try {
      bytes = objects.get(ref.key());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read chunk " + ref.key() + ": " + e.getMessage(), e);
    }
    ChunkReader reader = ChunkReader.open(bytes, ref.key());
    List<BlockIndexEntry> index = reader.blocks();
    List<SealedBlock> out = new ArrayList<>();
    for (int i : reader.blocksOverlapping(fromNanos, toNanos)) {
      BlockIndexEntry e = index.get(i);
      byte[] block = Arrays.copyOfRange(bytes, (int) e.offset(), (int) e.offset() + e.length());
      out.add(new SealedBlock(e.minTimestamp(), e.maxTimestamp(), e.entries(), e.rawBytes(), block));
    }
    return out;
  }
}
