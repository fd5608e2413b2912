package io.lodge.ingester.chunk;

/**
 * One row of a chunk's block index: where the block sits in the chunk and what it covers, so a reader
 * picks blocks by time without parsing them.
 *
 * @param offset the block's first byte within the chunk
 * @param length the block's length in bytes
 */
public record BlockIndexEntry(long offset, int length, long minTimestamp, long maxTimestamp, int entries, long rawBytes) {

  /** Whether this block may hold entries in [from, to). */
  public boolean overlaps(long fromNanos, long toNanosExclusive) {
    return minTimestamp < toNanosExclusive && maxTimestamp >= fromNanos;
  }
}
