package io.lodge.ingester.wal;

/**
 * Where a record sits in the WAL: its segment and the byte offset of its frame in that segment file.
 * Positions order like the WAL: by segment id, then offset.
 */
public record WalPosition(long segmentId, long offset) implements Comparable<WalPosition> {
  @Override
  public int compareTo(WalPosition o) {
    int c = Long.compare(segmentId, o.segmentId);
    return c != 0 ? c : Long.compare(offset, o.offset);
  }

  @Override
  public String toString() {
    return segmentId + "@" + offset;
  }
}
