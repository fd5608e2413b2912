package io.lodge.ingester.chunk;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LogEntry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The decoded columns of one block, in reusable arrays: a reader fills it with {@link BlockReader}
 * and keeps it for the next block, so scanning allocates only when a block is bigger than any before.
 * Lines are views into {@link #lineBytes()}; everything is valid until the next fill. Not thread-safe.
 */
public final class DecodedBlock {
  int size;
  long[] timestamps = new long[0];
  boolean hasEntries; // every column decoded
  boolean hasTimestamps;
  boolean hasLengths;
  boolean hasLines;
  boolean hasMetadata;
  Object owner; // the BlockReader that filled it (null after clear), for adding columns to the right block
  byte[] lineBytes = new byte[0];
  int[] lineOffsets = new int[1];
  Label[] dict = new Label[0];
  int dictSize;
  /** Entry i's metadata is dict[metadataRefs[metadataStart[i] .. metadataStart[i + 1])]. */
  int[] metadataStart = new int[1];
  int[] metadataRefs = new int[0];
  /** Shared one-pair metadata lists by dictionary index, valid for the current fill ([0, singlesFill)). */
  @SuppressWarnings("rawtypes")
  List[] singles = new List[0];
  int singlesFill;
  /** Decompression scratch for the small columns. */
  byte[] scratch = new byte[0];

  /** Number of entries decoded. */
  public int size() {
    return size;
  }

  /** Whether lines and metadata were decoded (false after a timestamps-only read). */
  public boolean hasEntries() {
    return hasEntries;
  }

  public long timestamp(int i) {
    requireTimestamps();
    return timestamps[check(i)];
  }

  /** The timestamp array itself, valid in {@code [0, size())}: for tight loops like count_over_time. */
  public long[] timestamps() {
    requireTimestamps();
    return timestamps;
  }

  /**
   * The first entry whose timestamp is at or after {@code ts} ({@link #size()} when none): where a
   * query starting at {@code ts} begins in this block. Binary search over the sorted timestamps.
   */
  public int lowerBound(long ts) {
    requireTimestamps();
    int lo = 0, hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (timestamps[mid] < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Whether the timestamps were decoded. */
  public boolean hasTimestamps() {
    return hasTimestamps;
  }

  /** Whether the line lengths were decoded (every read but {@link BlockReader#readTimestamps}). */
  public boolean hasLengths() {
    return hasLengths;
  }

  /** Whether the line bytes were decoded. */
  public boolean hasLines() {
    return hasLines;
  }

  /** Whether the structured metadata was decoded. */
  public boolean hasMetadata() {
    return hasMetadata;
  }

  /** All line bytes back to back; entry i is {@code [lineOffset(i), lineOffset(i) + lineLength(i))}. */
  public byte[] lineBytes() {
    if (!hasLines) throw new IllegalStateException("the line column was not decoded");
    return lineBytes;
  }

  /**
   * The line offsets array itself, for scans that walk every entry: entry i's line is
   * {@code [offsets[i], offsets[i + 1])} for i in {@code [0, size())}. Do not modify.
   */
  public int[] lineOffsets() {
    requireLengths();
    return lineOffsets;
  }

  public int lineOffset(int i) {
    requireLengths();
    return lineOffsets[check(i)];
  }

  public int lineLength(int i) {
    requireLengths();
    return lineOffsets[check(i) + 1] - lineOffsets[i];
  }

  /** Whether any entry of the block has structured metadata (requires decoded metadata). */
  public boolean anyMetadata() {
    if (!hasMetadata) throw new IllegalStateException("the metadata column was not decoded");
    return metadataStart[size] != 0;
  }

  /** A copy of line i. */
  public byte[] line(int i) {
    int off = lineOffset(i);
    return Arrays.copyOfRange(lineBytes, off, off + lineLength(i));
  }

  public String lineString(int i) {
    return new String(lineBytes, lineOffset(i), lineLength(i), StandardCharsets.UTF_8);
  }

  /** Entry i's structured metadata in stored order (an empty list when none). */
  @SuppressWarnings("unchecked")
  public List<Label> metadata(int i) {
    if (!hasMetadata) throw new IllegalStateException("the metadata column was not decoded");
    int s = metadataStart[check(i)], e = metadataStart[i + 1];
    if (s == e) return List.of();
    if (e - s == 1) {
      // one pair (typically detected_level): share one list per dictionary entry instead of one per entry
      int ref = metadataRefs[s];
      if (singles.length < dictSize) singles = new List[Math.max(dictSize, 2 * singles.length)];
      if (singlesFill <= ref || singles[ref] == null) {
        while (singlesFill <= ref) singles[singlesFill++] = null;
        singles[ref] = List.of(dict[ref]);
      }
      return singles[ref];
    }
    Label[] out = new Label[e - s];
    for (int j = s; j < e; j++) out[j - s] = dict[metadataRefs[j]];
    return List.of(out);
  }

  /** Entry i as a {@link LogEntry} (copies the line). */
  public LogEntry entry(int i) {
    return new LogEntry(timestamp(i), line(i), metadata(i));
  }

  private int check(int i) {
    if (i < 0 || i >= size) throw new IndexOutOfBoundsException("entry " + i + " of " + size);
    return i;
  }

  private void requireTimestamps() {
    if (!hasTimestamps) throw new IllegalStateException("the timestamp column was not decoded");
  }

  private void requireLengths() {
    if (!hasLengths) throw new IllegalStateException("only timestamps were decoded");
  }

  void clear() {
    size = 0;
    hasTimestamps = false;
    singlesFill = 0;
    hasEntries = false;
    hasLengths = false;
    hasLines = false;
    hasMetadata = false;
    owner = null;
  }

  void ensure(int count) {
    if (timestamps.length < count) timestamps = new long[Math.max(count, timestamps.length + timestamps.length / 2)];
  }

  byte[] scratch(int n) {
    if (scratch.length < n) scratch = new byte[Math.max(n, scratch.length + scratch.length / 2)];
    return scratch;
  }
}
