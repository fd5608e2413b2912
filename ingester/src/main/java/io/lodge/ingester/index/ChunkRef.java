package io.lodge.ingester.index;

import io.lodge.ingester.model.LabelSet;

/**
 * What the label index knows about one flushed chunk: whose it is, its stream, its time bounds
 * (inclusive, Unix ns), its object-store key and its sizes.
 */
public record ChunkRef(
    String tenant,
    LabelSet labels,
    long fromNanos,
    long throughNanos,
    String key,
    long entries,
    long rawBytes,
    long compressedBytes) {

  /** The stream id (XXH64 of the canonical labels). */
  public long streamHash() {
    return labels.hash();
  }

  /** Whether this chunk may hold entries in [from, to). */
  public boolean overlaps(long fromNanos, long toNanosExclusive) {
    return this.fromNanos < toNanosExclusive && this.throughNanos >= fromNanos;
  }
}
