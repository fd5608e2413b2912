package io.lodge.ingester.head;

import io.lodge.ingester.model.Label;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A read-only view of a frozen block's columns, in arrival order, for the encoder: the timestamps, the
 * line ends and the metadata reference the block's own arrays, and the lines stay in the block's pages
 * ({@link LinePages}). Nothing is copied to build it. The encoder asks for what it needs:
 * <ul>
 *   <li>{@link #isSorted()} and {@link #contiguousLines()}: arrival order is timestamp order (the usual
 *       case) and the lines sit back to back in one heap array: encode straight from the block's arrays;
 *   <li>sorted but on several pages or off the heap (the head's pages are direct buffers):
 *       {@link #copyLines} gathers them once into the encoder's buffer;
 *   <li>unsorted: {@link #copySorted} writes the sorted columns into the encoder's buffers (one copy).
 * </ul>
 * Line ends are offsets in the concatenation of the pages' used bytes, so after {@link #copyLines} they
 * index the gathered buffer directly. A view is valid only while its block is (see {@link HeadBlock}):
 * the pages go back to the pool once the block is sealed and unused.
 */
public final class BlockColumns {
  private final long[] timestamps;
  private final int[] lineEnds;
  private final List<Label>[] metadata;
  private final ByteBuffer[] pages;
  private final int[] pageStarts;
  private final int[] pageFirstEntries;
  private final int pageCount;
  private final int count;
  private final int[] order;
  private final long rawBytes;

  BlockColumns(long[] timestamps, int[] lineEnds, List<Label>[] metadata, ByteBuffer[] pages, int[] pageStarts,
      int[] pageFirstEntries, int pageCount, int count, int[] order, long rawBytes) {
    this.timestamps = timestamps;
    this.lineEnds = lineEnds;
    this.metadata = metadata;
    this.pages = pages;
    this.pageStarts = pageStarts;
    this.pageFirstEntries = pageFirstEntries;
    this.pageCount = pageCount;
    this.count = count;
    this.order = order;
    this.rawBytes = rawBytes;
  }

  /** Columns over one line buffer; {@code order} is null when the entries are in timestamp order. */
  public static BlockColumns of(long[] timestamps, int[] lineEnds, byte[] lines, List<Label>[] metadata, int count,
      int[] order, long rawBytes) {
    return new BlockColumns(timestamps, lineEnds, metadata, new ByteBuffer[] {ByteBuffer.wrap(lines)}, new int[] {0},
        new int[] {0}, 1, count, order, rawBytes);
  }

  /** Columns of sorted entries held one array per line (tests, and decoded snapshots): copies the lines once. */
  public static BlockColumns of(EntrySnapshot sorted) {
    int n = sorted.size();
    int[] ends = new int[n];
    long total = 0;
    for (int i = 0; i < n; i++) ends[i] = (int) (total += sorted.lines()[i].length);
    byte[] lines = new byte[Math.toIntExact(total)];
    for (int i = 0, p = 0; i < n; i++) {
      System.arraycopy(sorted.lines()[i], 0, lines, p, sorted.lines()[i].length);
      p = ends[i];
    }
    return of(sorted.timestamps(), ends, lines, sorted.metadata(), n, null, sorted.rawBytes());
  }

  public int count() {
    return count;
  }

  /** Line plus metadata bytes, as the head counted them. */
  public long rawBytes() {
    return rawBytes;
  }

  /** Bytes of all lines together. */
  public int lineBytes() {
    return count == 0 ? 0 : lineEnds[count - 1];
  }

  /** True when arrival order is timestamp order (stable: equal timestamps keep arrival order). */
  public boolean isSorted() {
    return order == null;
  }

  /** Arrival-order timestamps; entries beyond {@link #count()} are not part of the block. */
  public long[] timestamps() {
    return timestamps;
  }

  /** Arrival-order line ends: line i is [end(i-1), end(i)) of the lines concatenated (end(-1) = 0). */
  public int[] lineEnds() {
    return lineEnds;
  }

  /** Arrival-order metadata; the array, or any element, is null for entries without metadata. */
  public List<Label>[] metadata() {
    return metadata;
  }

  /**
   * The one array holding every line back to back (indexed by {@link #lineEnds()}), or null when the lines
   * are on several pages or off the heap (then {@link #copyLines} gathers them).
   */
  public byte[] contiguousLines() {
    if (pageCount == 0) return new byte[0];
    return pageCount == 1 && pages[0].hasArray() && pages[0].arrayOffset() == 0 ? pages[0].array() : null;
  }

  /** Gathers the lines, in arrival order, into {@code dst[0, lineBytes())}: one copy per page. */
  public void copyLines(byte[] dst) {
    int total = lineBytes();
    for (int p = 0; p < pageCount; p++) {
      int end = p + 1 < pageCount ? pageStarts[p + 1] : total;
      pages[p].get(0, dst, pageStarts[p], end - pageStarts[p]);
    }
  }

  /**
   * Writes the entries in timestamp order (stable) into the caller's arrays, each at least {@link #count()}
   * long ({@code lines} at least {@link #lineBytes()}): the one copy an unsorted block needs.
   */
  public void copySorted(long[] ts, int[] ends, byte[] lines, List<Label>[] md) {
    int pos = 0;
    for (int i = 0; i < count; i++) {
      int j = order == null ? i : order[i];
      int start = j == 0 ? 0 : lineEnds[j - 1];
      int len = lineEnds[j] - start;
      int p = pageOf(j);
      pages[p].get(start - pageStarts[p], lines, pos, len);
      pos += len;
      ts[i] = timestamps[j];
      ends[i] = pos;
      md[i] = metadata == null ? null : metadata[j];
    }
  }

  /** An immutable sorted copy, one array per line, for a reader (the block's pages may be recycled later). */
  EntrySnapshot toSnapshot() {
    long[] sortedTs = new long[count];
    byte[][] sortedLines = new byte[count][];
    @SuppressWarnings("unchecked")
    List<Label>[] sortedSm = (List<Label>[]) new List<?>[count];
    for (int i = 0; i < count; i++) {
      int j = order == null ? i : order[i];
      int start = j == 0 ? 0 : lineEnds[j - 1];
      int p = pageOf(j);
      int off = start - pageStarts[p];
      sortedTs[i] = timestamps[j];
      byte[] line = new byte[lineEnds[j] - start];
      pages[p].get(off, line, 0, line.length);
      sortedLines[i] = line;
      sortedSm[i] = metadata == null || metadata[j] == null ? List.of() : metadata[j];
    }
    return new EntrySnapshot(sortedTs, sortedLines, sortedSm, rawBytes);
  }

  /** The page holding entry {@code j}: the last page whose first entry is at or before it. */
  private int pageOf(int j) {
    int lo = 0, hi = pageCount - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (pageFirstEntries[mid] <= j) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
