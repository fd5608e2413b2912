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

  /**
   * Appends one entry. {@code blockBytes} is the size at which the caller freezes the block: the line
   * buffer doubles up to it but not past it, since the block is about to be frozen (doubling there
   * allocated twice the block, as one array G1 treats as humongous, to hold a few more bytes).
   */
  void append(long ts, byte[] line, List<Label> sm, long entryBytes, long blockBytes) {
    if (count == timestamps.length) {
      int n = count * 2;
      timestamps = Arrays.copyOf(timestamps, n);
      lineEnds = Arrays.copyOf(lineEnds, n);
      if (metadata != null) metadata = Arrays.copyOf(metadata, n);
    }
    int start = count == 0 ? 0 : lineEnds[count - 1];
    int end = start + line.length;
    if (end > lines.length) {
      long doubled = blockBytes > lines.length ? Math.min(2L * lines.length, blockBytes) : 2L * lines.length;
      lines = Arrays.copyOf(lines, (int) Math.max(end, Math.min(doubled, Integer.MAX_VALUE - 16)));
    }
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

  /**
   * Heap this block pins: its column arrays at their capacity (up to twice the entries they hold while
   * they grow) plus the metadata lists it references at their byte size. What the head bound counts:
   * with many slow streams, counting only the entries' bytes let the arrays outgrow the heap.
   */
  long retainedBytes() {
    long n = lines.length + 12L * timestamps.length + (metadata == null ? 0 : 4L * metadata.length);
    return n + Math.max(0, rawBytes - lineBytes());
  }

  private long lineBytes() {
    return count == 0 ? 0 : lineEnds[count - 1];
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
    int[] order = sortedOrder();
    long[] sortedTs = new long[count];
    byte[][] sortedLines = new byte[count][];
    @SuppressWarnings("unchecked")
    List<Label>[] sortedSm = (List<Label>[]) new List<?>[count];
    for (int i = 0; i < count; i++) {
      int j = order == null ? i : order[i];
      sortedTs[i] = timestamps[j];
      int start = j == 0 ? 0 : lineEnds[j - 1];
      sortedLines[i] = Arrays.copyOfRange(lines, start, lineEnds[j]);
      sortedSm[i] = metadata == null || metadata[j] == null ? List.of() : metadata[j];
    }
    return new EntrySnapshot(sortedTs, sortedLines, sortedSm, rawBytes);
  }

  /**
   * Arrival indexes in timestamp order (stable), or null when arrival order already is (the usual case:
   * clients push each stream in time order). A stable merge sort on primitive indexes: no boxing.
   */
  private int[] sortedOrder() {
    long[] ts = timestamps;
    boolean sorted = true;
    for (int i = 1; i < count && sorted; i++) sorted = ts[i - 1] <= ts[i];
    if (sorted) return null;
    int[] a = new int[count];
    for (int i = 0; i < count; i++) a[i] = i;
    int[] b = new int[count];
    for (int width = 1; width < count; width *= 2) {
      for (int lo = 0; lo < count; lo += 2 * width) {
        int mid = Math.min(lo + width, count), hi = Math.min(lo + 2 * width, count);
        int i = lo, j = mid, k = lo;
        while (i < mid && j < hi) b[k++] = ts[a[j]] < ts[a[i]] ? a[j++] : a[i++]; // ties take the left run
        while (i < mid) b[k++] = a[i++];
        while (j < hi) b[k++] = a[j++];
      }
      int[] t = a;
      a = b;
      b = t;
    }
    return a;
  }
}
