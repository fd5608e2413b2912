package io.lodge.ingester.head;

import io.lodge.ingester.model.Label;
import java.util.Arrays;
import java.util.List;

/**
 * The entries of one stream not yet sealed into a compressed block, kept as growable columns
 * (timestamps, line offsets into one byte buffer, metadata) in arrival order. Owned by its
 * {@link MemStream}; every access happens under that stream's lock.
 */
final class OpenBlock {
  private long[] timestamps = new long[64];
  private int[] lineEnds = new int[64];
  private byte[] lines = new byte[4096];
  private List<Label>[] metadata;
  private int count;
  private long rawBytes;
  private long minTs = Long.MAX_VALUE;
  private long maxTs = Long.MIN_VALUE;

  void append(long ts, byte[] line, List<Label> sm, long entryBytes) {
    if (count == timestamps.length) {
      int n = count * 2;
      timestamps = Arrays.copyOf(timestamps, n);
      lineEnds = Arrays.copyOf(lineEnds, n);
      if (metadata != null) metadata = Arrays.copyOf(metadata, n);
    }
    int start = count == 0 ? 0 : lineEnds[count - 1];
    int end = start + line.length;
    if (end > lines.length) lines = Arrays.copyOf(lines, Math.max(end, lines.length * 2));
    System.arraycopy(line, 0, lines, start, line.length);
    timestamps[count] = ts;
    lineEnds[count] = end;
    if (!sm.isEmpty()) {
      if (metadata == null) metadata = newMetadataArray(timestamps.length);
      metadata[count] = sm;
    }
    count++;
    rawBytes += entryBytes;
    if (ts < minTs) minTs = ts;
    if (ts > maxTs) maxTs = ts;
  }

  @SuppressWarnings("unchecked")
  private static List<Label>[] newMetadataArray(int n) {
    return (List<Label>[]) new List<?>[n];
  }

  int count() {
    return count;
  }

  long rawBytes() {
    return rawBytes;
  }

  long minTs() {
    return minTs;
  }

  long maxTs() {
    return maxTs;
  }

  /** An immutable copy of the entries sorted by timestamp (stable: equal timestamps keep arrival order). */
  EntrySnapshot sortedSnapshot() {
    Integer[] order = new Integer[count];
    for (int i = 0; i < count; i++) order[i] = i;
    long[] ts = timestamps;
    Arrays.sort(order, (a, b) -> Long.compare(ts[a], ts[b]));
    long[] sortedTs = new long[count];
    byte[][] sortedLines = new byte[count][];
    @SuppressWarnings("unchecked")
    List<Label>[] sortedSm = (List<Label>[]) new List<?>[count];
    for (int i = 0; i < count; i++) {
      int j = order[i];
      sortedTs[i] = timestamps[j];
      int start = j == 0 ? 0 : lineEnds[j - 1];
      sortedLines[i] = Arrays.copyOfRange(lines, start, lineEnds[j]);
      sortedSm[i] = metadata == null || metadata[j] == null ? List.of() : metadata[j];
    }
    return new EntrySnapshot(sortedTs, sortedLines, sortedSm, rawBytes);
  }
}
