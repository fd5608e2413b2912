package io.lodge.ingester.head;

/**
 * A compressed, immutable block of one stream's entries (the chunk block format), with the bounds and
 * sizes the head and the flusher need without decoding it.
 */
public record SealedBlock(long minTs, long maxTs, int count, long rawBytes, byte[] bytes) {
  public long compressedBytes() {
    return bytes.length;
  }

  public boolean overlaps(long fromNanos, long toNanosExclusive) {
    return minTs < toNanosExclusive && maxTs >= fromNanos;
  }
}
