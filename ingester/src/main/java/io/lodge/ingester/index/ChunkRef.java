package io.lodge.ingester.index;

import io.lodge.ingester.model.LabelSet;

/**
 * What the label index knows about one flushed chunk: whose it is, its stream, its time bounds
 * (inclusive, Unix ns), its key (the chunk's name, unique: {@link io.lodge.ingester.chunk.ChunkKeys}), its
 * sizes, and where its bytes are: {@code compressedBytes} from {@code offset} in the object {@code object}
 * (a {@link io.lodge.ingester.chunk.ChunkPack pack} of a flush cycle's chunks, or the chunk alone under its
 * own key, as chunks were written before packs).
 */
public record ChunkRef(
    String tenant,
    LabelSet labels,
    long fromNanos,
    long throughNanos,
    String key,
    long entries,
    long rawBytes,
    long compressedBytes,
    String object,
    long offset) {

  /** A chunk stored alone, as the whole object under its own key. */
  public ChunkRef(String tenant, LabelSet labels, long fromNanos, long throughNanos, String key, long entries,
      long rawBytes, long compressedBytes) {
    this(tenant, labels, fromNanos, throughNanos, key, entries, rawBytes, compressedBytes, key, 0);
  }

  /** The stream id (XXH64 of the canonical labels). */
  public long streamHash() {
    return labels.hash();
  }

  /** Whether this chunk may hold entries in [from, to). */
  public boolean overlaps(long fromNanos, long toNanosExclusive) {
    return this.fromNanos < toNanosExclusive && this.throughNanos >= fromNanos;
  }
}
