package io.lodge.ingester.model;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The entries of one stream of a push, held in columns: timestamps, lines and metadata lists side by
 * side, without a {@link LogEntry} per entry. The ingest path (decoders, validation, the WAL record, the
 * head) reads the columns; {@link #get} builds a {@code LogEntry} for code off that path. Immutable: the
 * line arrays are owned by the batch (and any entry {@code get} hands out), never mutated.
 */
public final class EntryBatch extends AbstractList<LogEntry> implements RandomAccess {
  private static final long[] NO_TIMESTAMPS = {};
  private static final byte[][] NO_LINES = {};
  private static final EntryBatch EMPTY = new EntryBatch(0, NO_TIMESTAMPS, NO_LINES, null);

  private final int size;
  private final long[] timestamps;
  private final byte[][] lines;
  /** Null while no entry has metadata; a null element is an empty list. */
  private final List<Label>[] metadata;

  private EntryBatch(int size, long[] timestamps, byte[][] lines, List<Label>[] metadata) {
    this.size = size;
    this.timestamps = timestamps;
    this.lines = lines;
    this.metadata = metadata;
  }

  /** The batch without entries. */
  public static EntryBatch empty() {
    return EMPTY;
  }

  /** {@code entries} as a batch: itself when it is one, else its entries' columns. */
  public static EntryBatch copyOf(List<LogEntry> entries) {
    if (entries instanceof EntryBatch b) return b;
    if (entries.isEmpty()) return EMPTY;
    Builder b = new Builder(entries.size());
    for (LogEntry e : entries) b.add(e.timestampNanos(), e.line(), e.metadata());
    return b.build();
  }

  /** A batch of {@code entries}, for tests and tools. */
  public static EntryBatch of(LogEntry... entries) {
    return copyOf(Arrays.asList(entries));
  }

  @Override
  public int size() {
    return size;
  }

  /** The timestamp of entry {@code i}, in Unix nanoseconds. */
  public long timestampNanos(int i) {
    return timestamps[Objects.checkIndex(i, size)];
  }

  /** The line of entry {@code i}, as UTF-8 bytes; shared, never mutate it. */
  public byte[] line(int i) {
    return lines[Objects.checkIndex(i, size)];
  }

  /** The structured metadata of entry {@code i}, empty when it has none. */
  public List<Label> metadata(int i) {
    Objects.checkIndex(i, size);
    List<Label> m = metadata == null ? null : metadata[i];
    return m == null ? List.of() : m;
  }

  /** Entry {@code i} as an object of its own, sharing the line array. */
  @Override
  public LogEntry get(int i) {
    return new LogEntry(timestampNanos(i), lines[i], metadata(i));
  }

  /** Collects entries in order; {@link #build} once, then the builder is spent. */
  public static final class Builder {
    private long[] timestamps;
    private byte[][] lines;
    private List<Label>[] metadata;
    private int size;
    private boolean built;

    /** A builder for about {@code expectedEntries} entries (it grows past them). */
    public Builder(int expectedEntries) {
      int capacity = Math.max(1, expectedEntries);
      timestamps = new long[capacity];
      lines = new byte[capacity][];
    }

    /** Appends an entry; {@code line} is owned by the batch from now on. */
    public Builder add(long timestampNanos, byte[] line, List<Label> entryMetadata) {
      Objects.requireNonNull(line, "line");
      if (built) throw new IllegalStateException("the batch was built already");
      if (size == timestamps.length) grow();
      timestamps[size] = timestampNanos;
      lines[size] = line;
      if (entryMetadata != null && !entryMetadata.isEmpty()) {
        if (metadata == null) metadata = newMetadataArray(timestamps.length);
        metadata[size] = entryMetadata;
      }
      size++;
      return this;
    }

    /** The number of entries added so far. */
    public int size() {
      return size;
    }

    /** The batch of the entries added. */
    public EntryBatch build() {
      if (built) throw new IllegalStateException("the batch was built already");
      built = true;
      return size == 0 ? EMPTY : new EntryBatch(size, timestamps, lines, metadata);
    }

    private void grow() {
      int capacity = timestamps.length + (timestamps.length >> 1) + 1;
      timestamps = Arrays.copyOf(timestamps, capacity);
      lines = Arrays.copyOf(lines, capacity);
      if (metadata != null) metadata = Arrays.copyOf(metadata, capacity);
    }

    @SuppressWarnings("unchecked")
    private static List<Label>[] newMetadataArray(int n) {
      return (List<Label>[]) new List<?>[n];
    }
  }
}
