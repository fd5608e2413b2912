package io.lodge.ingester.chunk;

/**
 * The parts of a chunk's object key (see {@link ChunkKeys}): owner, stream id, inclusive time bounds
 * in Unix ns, and the chunk's CRC32C, which makes two different chunks of the same span distinct.
 */
public record ChunkKey(String tenant, long streamHash, long fromNanos, long throughNanos, int checksum) {
  /** The object key these parts spell. */
  public String toKey() {
    return ChunkKeys.key(tenant, streamHash, fromNanos, throughNanos, checksum);
  }
}
