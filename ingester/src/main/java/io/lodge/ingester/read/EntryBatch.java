package io.lodge.ingester.read;

import io.lodge.ingester.chunk.BlockReader;
import io.lodge.ingester.chunk.DecodedBlock;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.util.Arrays;
import java.util.List;

/**
 * Consecutive entries of one stream, in the iterator's order, as columns: what
 * {@link EntryIterator#nextBatch} hands out so that a counter walks a whole decoded block's timestamp
 * array in a loop instead of making a few virtual calls per entry. The caller creates one and passes it
 * to every {@code nextBatch} of a read; everything in it is valid until the next call.
 *
 * <p>A batch is either a view of a block ({@link BlockReader} and {@link DecodedBlock}, entries
 * {@code [start, end)} of the block), whose columns are decoded only when asked for (timestamps, line
 * lengths, lines, metadata; the metadata dictionary is the block's, decoded once), or entries copied into
 * arrays the batch owns. Not thread-safe.
 */
public final class EntryBatch {
  private static final byte[] EMPTY = new byte[0];

  private LabelSet labels;
  private long[] timestamps;
  private int start;
  private int end;

  // a view of a decoded block: block != null
  private BlockReader block;
  private DecodedBlock decoded;

  // copied entries: offsets[i + 1] - offsets[i] is entry i's line length; lines null when not copied
  private long[] ownTimestamps = new long[16];
  private int[] ownOffsets = new int[17];
  private byte[][] ownLines = new byte[16][];
  @SuppressWarnings("unchecked")
  private List<Label>[] ownMetadata = (List<Label>[]) new List<?>[16];
  private boolean ownAnyMetadata;

  /** The stream of every entry of the batch. */
  public LabelSet labels() {
    return labels;
  }

  /**
   * The timestamps; the batch's entries are the indexes {@code [start(), end())}, in order. Do not
   * modify. A view of a whole block decodes them on first use.
   */
  public long[] timestamps() {
    if (timestamps == null) timestamps = block.addTimestampColumn(decoded).timestamps();
    return timestamps;
  }

  /** The first entry's timestamp (a whole block's from its header, without decoding the timestamps). */
  public long firstTimestamp() {
    return timestamps == null ? block.minTimestamp() : timestamps[start];
  }

  /** The last entry's timestamp (a whole block's from its header, without decoding the timestamps). */
  public long lastTimestamp() {
    return timestamps == null ? block.maxTimestamp() : timestamps[end - 1];
  }

  public int start() {
    return start;
  }

  public int end() {
    return end;
  }

  public int size() {
    return end - start;
  }

  /**
   * Line offsets by entry index: entry i's line is {@code lineOffsets()[i + 1] - lineOffsets()[i]} bytes
   * long (also when the lines themselves were not read). Decodes a block's lengths on first use.
   */
  public int[] lineOffsets() {
    if (block == null) return ownOffsets;
    return block.addLengths(decoded).lineOffsets();
  }

  /** The line bytes of all the batch's entries: from a whole block's header, without decoding lengths. */
  public long lineBytes() {
    if (block != null && start == 0 && end == block.entryCount()) return block.header().lines().rawLength();
    int[] offs = lineOffsets();
    return (long) offs[end] - offs[start];
  }

  /**
   * Entry i's line (a copy; empty when the read skipped lines and the batch holds copied entries). A
   * block view decodes the block's lines on first use.
   */
  public byte[] line(int i) {
    check(i);
    if (block == null) return ownLines[i] == null ? EMPTY : ownLines[i];
    return block.addLines(decoded).line(i);
  }

  /**
   * Every metadata pair any entry of the batch may carry (a superset), or null when not known: then only
   * {@link #metadata} tells. Empty when no entry has metadata. A block view decodes only its metadata
   * dictionary for it.
   */
  public List<Label> metadataLabels() {
    if (block == null) return ownAnyMetadata ? null : List.of();
    return block.metadataDictionary(decoded);
  }

  /** Entry i's structured metadata (empty when none). A block view decodes its metadata on first use. */
  public List<Label> metadata(int i) {
    check(i);
    if (block == null) return ownMetadata[i] == null ? List.of() : ownMetadata[i];
    if (block.withoutMetadata()) return List.of();
    return block.addMetadata(decoded).metadata(i);
  }

  /** Whether the batch is a view of a decoded block (rather than copied entries). */
  boolean isBlockView() {
    return block != null;
  }

  private void check(int i) {
    if (i < start || i >= end) throw new IndexOutOfBoundsException("entry " + i + " outside [" + start + ", " + end + ")");
  }

  /**
   * Makes this batch a view of entries {@code [lo, hi)} of a block that {@code d} was {@link
   * BlockReader#start started} for; its timestamps may be decoded already (needed unless the view is the
   * whole block).
   */
  void setBlock(LabelSet labels, BlockReader block, DecodedBlock d, int lo, int hi) {
    this.labels = labels;
    this.block = block;
    this.decoded = d;
    this.timestamps = d.hasTimestamps() ? d.timestamps() : null;
    if (timestamps == null && (lo != 0 || hi != block.entryCount())) {
      throw new IllegalArgumentException("a part of a block needs its timestamps decoded");
    }
    this.start = lo;
    this.end = hi;
  }

  /** Starts a batch of copied entries of {@code labels}. */
  void startCopy(LabelSet labels) {
    this.labels = labels;
    this.block = null;
    this.decoded = null;
    this.timestamps = ownTimestamps;
    this.start = 0;
    this.end = 0;
    this.ownAnyMetadata = false;
    ownOffsets[0] = 0;
  }

  /** Appends the current entry of {@code it} (same stream) to a copied batch; {@code lines}: copy its line too. */
  void copy(EntryIterator it, boolean lines) {
    add(it.timestampNanos(), it.lineLength(), lines ? it.line() : null, it.metadata());
  }

  /** Appends an entry to a copied batch; {@code line} (copied here) may be null when lines are not kept. */
  void add(long ts, int lineLength, byte[] line, List<Label> metadata) {
    int n = end;
    if (n == ownTimestamps.length) grow();
    ownTimestamps[n] = ts;
    ownOffsets[n + 1] = ownOffsets[n] + lineLength;
    // the source's array may be reused: keep a copy
    ownLines[n] = line == null ? null : line.length == 0 ? EMPTY : line.clone();
    ownMetadata[n] = metadata;
    ownAnyMetadata |= !metadata.isEmpty();
    end = n + 1;
  }

  private void grow() {
    int cap = ownTimestamps.length * 2;
    ownTimestamps = Arrays.copyOf(ownTimestamps, cap);
    ownOffsets = Arrays.copyOf(ownOffsets, cap + 1);
    ownLines = Arrays.copyOf(ownLines, cap);
    ownMetadata = Arrays.copyOf(ownMetadata, cap);
    timestamps = ownTimestamps;
  }

  /** Whether a copied batch should end here (it bounds the copy's memory, and the offsets stay ints). */
  boolean full() {
    return end >= COPY_LIMIT || ownOffsets[end] > (1 << 30);
  }

  /** Entries a copied batch holds at most. */
  static final int COPY_LIMIT = 1024;
}
