package io.lodge.ingester.head;

import io.lodge.ingester.model.Label;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The entries of one stream not yet sealed into a compressed block, kept as growable columns
 * (timestamps, line ends, metadata) in arrival order, the lines themselves in {@link LinePages} pages (off the heap within its limit):
 * growing never copies a line, and the pages are recycled once the block is sealed ({@link #recycle}).
 * Owned by its {@link MemStream}; every access happens under that stream's lock until the block is frozen
 * (handed to a {@link HeadBlock}), after which nothing writes it any more.
 */
final class OpenBlock {
  private static final long[] NO_LONGS = {};
  private static final int[] NO_INTS = {};
  private static final ByteBuffer[] NO_PAGES = {};
  /** Column capacity on the first append (before it, an empty block, an idle stream's, pins no arrays). */
  private static final int FIRST_CAPACITY = 32;

  /** The pooled column set the arrays below belong to, once the block passed {@link ColumnArrays#MIN_POOLED}. */
  private ColumnArrays pooledColumns;
  private long[] timestamps = NO_LONGS;
  /** End of each line in the concatenation of the pages' used bytes. */
  private int[] lineEnds = NO_INTS;
  private List<Label>[] metadata;
  private ByteBuffer[] pages = NO_PAGES;
  /** Per page: the offset of its first byte in the concatenated lines, and the first entry it holds. */
  private int[] pageStarts = NO_INTS;
  private int[] pageFirstEntries = NO_INTS;
  private int pageCount;
  private int lastPageUsed;
  private long pageBytes;
  /** Bytes of the column arrays at their capacity. */
  private long columnBytes;
  private int lineBytes;
  private int count;
  private long rawBytes;
  private long minTs = Long.MAX_VALUE;
  private long maxTs = Long.MIN_VALUE;
  private boolean outOfOrder;

  /** Appends one entry whose line is all of {@code line}. */
  void append(long ts, byte[] line, List<Label> sm, long entryBytes, long blockBytes) {
    append(ts, line, 0, line.length, sm, entryBytes, blockBytes);
  }

  /**
   * Appends one entry whose line is {@code line[off, off + len)}, copied. {@code blockBytes} is about the
   * size at which the caller will freeze the block: pages are sized not to run far past it.
   */
  void append(long ts, byte[] line, int off, int len, List<Label> sm, long entryBytes, long blockBytes) {
    if (count == timestamps.length) growColumns();
    int start = lineBytes;
    if ((long) start + len > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("open block over 2 GiB of lines: " + start + " + " + len + " bytes");
    }
    if (pageCount == 0 || lastPageUsed + len > pages[pageCount - 1].capacity()) newPage(len, blockBytes - rawBytes);
    pages[pageCount - 1].put(lastPageUsed, line, off, len);
    lastPageUsed += len;
    timestamps[count] = ts;
    lineEnds[count] = start + len;
    lineBytes = start + len;
    if (!sm.isEmpty()) {
      if (metadata == null) {
        metadata = newMetadataArray(timestamps.length);
        columnBytes += 4L * metadata.length;
      }
      metadata[count] = sm;
    }
    count++;
    rawBytes += entryBytes;
    if (ts < maxTs) outOfOrder = true;
    if (ts < minTs) minTs = ts;
    if (ts > maxTs) maxTs = ts;
  }

  private void growColumns() {
    int n = count == 0 ? FIRST_CAPACITY : count * 2;
    if (n < ColumnArrays.MIN_POOLED) {
      timestamps = Arrays.copyOf(timestamps, n);
      lineEnds = Arrays.copyOf(lineEnds, n);
      if (metadata != null) metadata = Arrays.copyOf(metadata, n);
      columnBytes = 12L * n + (metadata == null ? 0 : 4L * n);
      return;
    }
    ColumnArrays c = ColumnArrays.take(n);
    System.arraycopy(timestamps, 0, c.timestamps, 0, count);
    System.arraycopy(lineEnds, 0, c.lineEnds, 0, count);
    if (metadata != null) System.arraycopy(metadata, 0, c.metadata, 0, count);
    // the old set is free: this block is not frozen, so only its stream (holding the lock) reads it
    if (pooledColumns != null) ColumnArrays.give(pooledColumns, count);
    pooledColumns = c;
    timestamps = c.timestamps;
    lineEnds = c.lineEnds;
    metadata = c.metadata;
    columnBytes = 16L * c.capacity();
  }

  private void newPage(int lineLen, long wanted) {
    if (pageCount == pages.length) {
      int n = Math.max(4, pageCount * 2);
      pages = Arrays.copyOf(pages, n);
      pageStarts = Arrays.copyOf(pageStarts, n);
      pageFirstEntries = Arrays.copyOf(pageFirstEntries, n);
    }
    ByteBuffer page = LinePages.take(LinePages.pageSize(pageCount, lineLen, wanted));
    pages[pageCount] = page;
    pageStarts[pageCount] = lineBytes;
    pageFirstEntries[pageCount] = count;
    pageCount++;
    pageBytes += page.capacity();
    lastPageUsed = 0;
  }

  @SuppressWarnings("unchecked")
  private static List<Label>[] newMetadataArray(int n) {
    return (List<Label>[]) new List<?>[n];
  }

  int count() {
    return count;
  }

  /**
   * Memory this block pins: its pages (mostly off the heap) and column arrays at their capacity plus the metadata lists it
   * references at their byte size. What the head bound counts: with many slow streams, counting only the
   * entries' bytes let the arrays outgrow the heap. Reads counters only, never the arrays: the flusher
   * sums it while a sealer may be recycling a frozen block's arrays.
   */
  long retainedBytes() {
    return pageBytes + columnBytes + Math.max(0, rawBytes - lineBytes);
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

  /** Pages holding lines (for tests). */
  int pageCount() {
    return pageCount;
  }

  /** Page {@code i} (for tests: identity checks against the pool). */
  ByteBuffer page(int i) {
    return pages[i];
  }

  /**
   * A view of the columns for the encoder (no copy; the arrays are the block's own, so call it on a
   * frozen block, or under the stream's lock and only for the length of that lock).
   */
  BlockColumns columns() {
    return new BlockColumns(timestamps, lineEnds, metadata, pages, pageStarts, pageFirstEntries, pageCount, count,
        outOfOrder ? sortedOrder() : null, rawBytes);
  }

  /** An immutable copy of the entries sorted by timestamp (stable: equal timestamps keep arrival order). */
  EntrySnapshot sortedSnapshot() {
    return columns().toSnapshot();
  }

  /**
   * Gives the pages back to the pool. Only for a frozen block that nobody reads or encodes any more
   * ({@link HeadBlock} counts its users): after this the block must not be read (its counters stay).
   */
  void recycle() {
    ByteBuffer[] p = pages;
    int n = pageCount;
    pages = NO_PAGES;
    pageCount = 0;
    for (int i = 0; i < n; i++) {
      LinePages.give(p[i]);
      p[i] = null;
    }
    ColumnArrays c = pooledColumns;
    pooledColumns = null;
    timestamps = NO_LONGS;
    lineEnds = NO_INTS;
    metadata = null;
    if (c != null) ColumnArrays.give(c, count);
  }

  /** The pooled column set, or null while the block is small (for tests). */
  ColumnArrays pooledColumns() {
    return pooledColumns;
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
