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
 * line bytes are owned by the batch (and any entry {@code get} hands out), never mutated.
 *
 * <p>Lines are held one of two ways: an array per line, or ranges of one text array the batch shares
 * with others (a replayed WAL record's decoded body: no copy per line). Hot paths read a line where it is,
 * through {@link #lineArray}, {@link #lineOffset} and {@link #lineLength}; {@link #line} is the line as an
 * array of its own length, a copy for a batch over a text. A batch over a text is valid only while its
 * owner keeps the text: the replay applies it and then recycles the text, so nothing may keep such a
 * batch's line arrays past the call it was handed to.
 */
public final class EntryBatch extends AbstractList<LogEntry> implements RandomAccess {
  private static final long[] NO_TIMESTAMPS = {};
  private static final byte[][] NO_LINES = {};
  private static final EntryBatch EMPTY = new EntryBatch(0, NO_TIMESTAMPS, NO_LINES, null, null, null, null);

  private final int size;
  private final long[] timestamps;
  /** One array per line, or null when the lines are ranges of {@link #text}. */
  private final byte[][] lines;
  private final byte[] text;
  private final int[] starts;
  private final int[] lengths;
  /** Null while no entry has metadata; a null element is an empty list. */
  private final List<Label>[] metadata;

  private EntryBatch(int size, long[] timestamps, byte[][] lines, byte[] text, int[] starts, int[] lengths,
      List<Label>[] metadata) {
    this.size = size;
    this.timestamps = timestamps;
    this.lines = lines;
    this.text = text;
    this.starts = starts;
    this.lengths = lengths;
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

  /**
   * The line of entry {@code i} as UTF-8 bytes in an array of its own length: the batch's own (shared,
   * never mutate it), or a copy of its range when the batch is over a text.
   */
  public byte[] line(int i) {
    Objects.checkIndex(i, size);
    if (lines != null) return lines[i];
    return Arrays.copyOfRange(text, starts[i], starts[i] + lengths[i]);
  }

  /** The array that holds entry {@code i}'s line, from {@link #lineOffset}; shared, never mutate it. */
  public byte[] lineArray(int i) {
    Objects.checkIndex(i, size);
    return lines != null ? lines[i] : text;
  }

  /** Where entry {@code i}'s line starts in {@link #lineArray}. */
  public int lineOffset(int i) {
    Objects.checkIndex(i, size);
    return lines != null ? 0 : starts[i];
  }

  /** The byte length of entry {@code i}'s line. */
  public int lineLength(int i) {
    Objects.checkIndex(i, size);
    return lines != null ? lines[i].length : lengths[i];
  }

  /** The structured metadata of entry {@code i}, empty when it has none. */
  public List<Label> metadata(int i) {
    Objects.checkIndex(i, size);
    List<Label> m = metadata == null ? null : metadata[i];
    return m == null ? List.of() : m;
  }

  /**
   * These entries with {@code metadata[i]} as entry {@code i}'s structured metadata (null or empty for
   * none) instead of their own, sharing the timestamps and lines: a replayed stream that validation kept
   * whole is its body stream with the stored metadata. {@code metadata} is the new batch's from now on.
   */
  public EntryBatch withMetadata(List<Label>[] metadata) {
    if (metadata.length != size) {
      throw new IllegalArgumentException(metadata.length + " metadata lists for " + size + " entries");
    }
    return new EntryBatch(size, timestamps, lines, text, starts, lengths, metadata);
  }

  /** Entry {@code i} as an object of its own, sharing the line array (a copy of the range over a text). */
  @Override
  public LogEntry get(int i) {
    return new LogEntry(timestampNanos(i), line(i), metadata(i));
  }

  /**
   * Collects entries in order; {@link #build} once, then the builder is spent. A builder made with
   * {@link #over} takes lines as ranges of its text, any other one line arrays.
   */
  public static final class Builder {
    private final byte[] text;
    private long[] timestamps;
    private byte[][] lines;
    private int[] starts;
    private int[] lengths;
    private List<Label>[] metadata;
    private int size;
    private boolean built;

    /** A builder of line arrays for about {@code expectedEntries} entries (it grows past them). */
    public Builder(int expectedEntries) {
      this(null, expectedEntries);
    }

    private Builder(byte[] text, int expectedEntries) {
      int capacity = Math.max(1, expectedEntries);
      this.text = text;
      timestamps = new long[capacity];
      if (text == null) {
        lines = new byte[capacity][];
      } else {
        starts = new int[capacity];
        lengths = new int[capacity];
      }
    }

    /**
     * A builder whose lines are ranges of {@code text}, for about {@code expectedEntries} entries: the
     * batch references {@code text}, which its owner must keep unchanged while the batch is in use.
     */
    public static Builder over(byte[] text, int expectedEntries) {
      return new Builder(Objects.requireNonNull(text, "text"), expectedEntries);
    }

    /** Appends an entry; {@code line} is owned by the batch from now on. Not on a builder {@link #over} a text. */
    public Builder add(long timestampNanos, byte[] line, List<Label> entryMetadata) {
      Objects.requireNonNull(line, "line");
      if (text != null) throw new IllegalStateException("this builder takes ranges of its text, not line arrays");
      int at = next();
      lines[at] = line;
      return finishAdd(at, timestampNanos, entryMetadata);
    }

    /** Appends an entry whose line is {@code text[offset, offset + length)}; only on a builder {@link #over} a text. */
    public Builder add(long timestampNanos, int offset, int length, List<Label> entryMetadata) {
      if (text == null) throw new IllegalStateException("this builder takes line arrays: it is over no text");
      Objects.checkFromIndexSize(offset, length, text.length);
      int at = next();
      starts[at] = offset;
      lengths[at] = length;
      return finishAdd(at, timestampNanos, entryMetadata);
    }

    private int next() {
      if (built) throw new IllegalStateException("the batch was built already");
      if (size == timestamps.length) grow();
      return size;
    }

    private Builder finishAdd(int at, long timestampNanos, List<Label> entryMetadata) {
      timestamps[at] = timestampNanos;
      if (entryMetadata != null && !entryMetadata.isEmpty()) {
        if (metadata == null) metadata = newMetadataArray(timestamps.length);
        metadata[at] = entryMetadata;
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
      return size == 0 ? EMPTY : new EntryBatch(size, timestamps, lines, text, starts, lengths, metadata);
    }

    private void grow() {
      int capacity = timestamps.length + (timestamps.length >> 1) + 1;
      timestamps = Arrays.copyOf(timestamps, capacity);
      if (lines != null) lines = Arrays.copyOf(lines, capacity);
      if (starts != null) {
        starts = Arrays.copyOf(starts, capacity);
        lengths = Arrays.copyOf(lengths, capacity);
      }
      if (metadata != null) metadata = Arrays.copyOf(metadata, capacity);
    }
  }

  /** An array of {@code n} metadata lists, all null (empty), for {@link #withMetadata}. */
  @SuppressWarnings("unchecked")
  public static List<Label>[] newMetadataArray(int n) {
    return (List<Label>[]) new List<?>[n];
  }
}
