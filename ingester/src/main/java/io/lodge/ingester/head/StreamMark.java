package io.lodge.ingester.head;

/**
 * What a flush leaves behind for replay, per stream: every entry the stream received from WAL records
 * up to (segment, offset) is in flushed chunks; replay skips those records for this stream and, unless
 * the stream was retired, restores its ordering state (highest and last timestamps, hash of the last
 * line) so that replay accepts and drops exactly what the live process did.
 */
public record StreamMark(
    long segment, long offset, boolean retired, long highestTs, long lastTs, long lastLineHash) {

  /** Whether a WAL record at (segment, offset) is covered by this mark. */
  public boolean covers(long recordSegment, long recordOffset) {
    return recordSegment < segment || (recordSegment == segment && recordOffset <= offset);
  }
}
