package io.lodge.ingester.chunk;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LogEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the entries of one stream, in timestamp order, and encodes them as one block (layout in
 * {@link BlockHeader}). Lines are copied into one growing buffer and lengths are varint-encoded as they
 * arrive, so appending allocates nothing per entry (metadata aside). Between encodes a builder holds
 * little more than its entries' bytes, so a head can keep one per open stream. Reuse one builder for
 * many blocks: {@link #encode()} then {@link #reset()}. Not thread-safe.
 *
 * <p>Columns: timestamps as in {@link TimestampColumn}; line lengths as varints; lines concatenated;
 * metadata as a per-block dictionary of distinct (name, value) pairs (varint count, then name and value
 * as varint length + UTF-8) followed by, per entry, a varint pair count and the varint dictionary
 * indexes. A block without metadata stores an empty metadata column.
 */
public final class BlockBuilder {
  /** Distinct metadata lists a block encode remembers by identity (a push has one per detected level). */
  private static final int METADATA_MEMO = 8;
  private final ZstdColumnCodec codec;
  // Only the block's own data lives here between encodes, in buffers that start tiny and grow with
  // the block, so a head can keep one builder per open stream; encode-time scratch is borrowed from
  // the EncodeScratch pool for the length of one encode() call.
  private long[] ts = new long[16];
  private int[] lineLengths = new int[16];
  private final ByteSink lengths = new ByteSink(16);
  private final ByteSink lines = new ByteSink(256);
  private final ByteSink metadataRefs = new ByteSink(16);
  private final Map<Label, Integer> dictIndex = new HashMap<>();
  private final List<Label> dict = new ArrayList<>();
  private int count;
  private long minTs;
  private long lastTs;
  private long rawBytes;

  /** A builder compressing with zstd level 3. */
  public BlockBuilder() {
    this(ZstdColumnCodec.DEFAULT_LEVEL);
  }

  /** A builder compressing with the given zstd level (1..22; negative levels are faster). */
  public BlockBuilder(int zstdLevel) {
    this(zstdLevel, 0);
  }

  /**
   * A builder for blocks of about {@code blockBytes} of lines (the head's {@code chunk_block_size}): line
   * dictionaries make room for blocks that large (0: the first block's size).
   */
  public BlockBuilder(int zstdLevel, int blockBytes) {
    this.codec = new ZstdColumnCodec(zstdLevel, blockBytes);
  }

  /**
   * Appends one entry; {@code line[off, off+len)} is copied. Timestamps must not decrease (the caller
   * sorts, keeping arrival order for equal timestamps).
   *
   * @throws IllegalArgumentException if {@code ts} is before the previous entry's
   * @throws IllegalStateException if the block would exceed the format's limits (cut blocks sooner)
   */
  public void append(long ts, byte[] line, int off, int len, List<Label> metadata) {
    if (count > 0 && ts < lastTs) {
      throw new IllegalArgumentException("timestamp " + ts + " before the previous entry's " + lastTs);
    }
    if (count >= ChunkFormat.MAX_BLOCK_ENTRIES || (long) lines.size() + len > ChunkFormat.MAX_COLUMN_BYTES) {
      throw new IllegalStateException("block full: " + count + " entries, " + lines.size() + " line bytes");
    }
    java.util.Objects.checkFromIndexSize(off, len, line.length);
    if (count == 0) minTs = ts;
    if (count == this.ts.length) this.ts = Arrays.copyOf(this.ts, count * 2);
    this.ts[count] = ts;
    lastTs = ts;
    lengths.writeVarInt(len);
    lines.writeBytes(line, off, len);
    if (count == lineLengths.length) lineLengths = Arrays.copyOf(lineLengths, count * 2);
    lineLengths[count] = len;
    rawBytes += len;
    int n = metadata == null ? 0 : metadata.size();
    metadataRefs.writeVarInt(n);
    for (int i = 0; i < n; i++) {
      Label l = metadata.get(i);
      metadataRefs.writeVarInt(dictionaryIndex(dictIndex, dict, l));
      rawBytes += utf8Length(l.name()) + utf8Length(l.value());
    }
    count++;
  }

  /** Appends a whole {@link LogEntry}. */
  public void append(LogEntry e) {
    append(e.timestampNanos(), e.line(), 0, e.line().length, e.metadata());
  }

  public int entryCount() {
    return count;
  }

  public boolean isEmpty() {
    return count == 0;
  }

  /** Line plus metadata bytes appended so far: what a head compares with its block size target. */
  public long rawBytes() {
    return rawBytes;
  }

  public long minTimestamp() {
    return minTs;
  }

  public long maxTimestamp() {
    return lastTs;
  }

  /** Bytes this builder's buffers pin between encodes, whatever it holds now. */
  long retainedBytes() {
    return 8L * ts.length + 4L * lineLengths.length + lengths.capacity() + lines.capacity() + metadataRefs.capacity();
  }

  /** Forgets every entry; buffers are kept for the next block. */
  public void reset() {
    lengths.reset();
    lines.reset();
    metadataRefs.reset();
    dictIndex.clear();
    dict.clear();
    count = 0;
    minTs = 0;
    lastTs = 0;
    rawBytes = 0;
  }

  /** Encodes the entries appended since the last reset; the builder keeps them until {@link #reset()}. */
  public EncodedBlock encode() {
    return encode((LineDictionary) null);
  }

  /** {@link #encode()} with the lines column compressed with {@code dict} (null: without a dictionary). */
  public EncodedBlock encode(LineDictionary dict) {
    if (count == 0) throw new IllegalStateException("empty block");
    EncodeScratch s = EncodeScratch.borrow();
    try {
      return encode(s, dict);
    } finally {
      EncodeScratch.release(s);
    }
  }

  private EncodedBlock encode(EncodeScratch s, LineDictionary lineDict) {
    byte[] lineBuf = lines.array();
    TokenHashes tokenHashes = s.tokenHashes; // cleared by borrow()
    s.tokens.startBlock();
    for (int i = 0, p = 0; i < count; i++) {
      s.tokens.addLine(lineBuf, p, lineLengths[i], tokenHashes);
      p += lineLengths[i];
    }
    ByteSink metadataColumn = s.metadata;
    if (!dict.isEmpty()) {
      metadataColumn.writeVarInt(dict.size());
      for (Label l : dict) {
        metadataColumn.writeString(l.name());
        metadataColumn.writeString(l.value());
      }
      metadataColumn.writeBytes(metadataRefs.array(), 0, metadataRefs.size());
    }
    return finish(s, ts, count, minTs, lastTs, rawBytes, lengths, lineBuf, lines.size(), lineDict);
  }

  /**
   * Encodes a whole column set at once: entry i has timestamp {@code ts[i]}, line
   * {@code lines[ends[i-1], ends[i])} ({@code ends[-1]} = 0) and {@code metadata[i]} (the array or an
   * element may be null: no metadata). The lines are compressed where they are, not copied into the
   * builder; the bytes written are those of appending the same entries one by one. The builder's own
   * entries (from {@link #append}) are neither used nor changed.
   *
   * @throws IllegalArgumentException if a timestamp is before the previous entry's or the line ends are not
   *     ascending within {@code lines}
   * @throws IllegalStateException if the block exceeds the format's limits (cut blocks sooner)
   */
  public EncodedBlock encode(long[] ts, int[] ends, byte[] lines, List<Label>[] metadata, int count) {
    return encode(ts, ends, lines, metadata, count, (LineDictionary) null);
  }

  /** The same with the lines column compressed with {@code dict} (null: without a dictionary). */
  public EncodedBlock encode(long[] ts, int[] ends, byte[] lines, List<Label>[] metadata, int count, LineDictionary dict) {
    EncodeScratch s = EncodeScratch.borrow();
    try {
      return encode(ts, ends, lines, metadata, count, s, dict);
    } finally {
      EncodeScratch.release(s);
    }
  }

  /** {@link #encode(long[], int[], byte[], List[], int, LineDictionary)} with the caller's borrowed scratch. */
  EncodedBlock encode(long[] ts, int[] ends, byte[] lines, List<Label>[] metadata, int count, EncodeScratch s,
      LineDictionary dict) {
    if (count <= 0) throw new IllegalStateException("empty block");
    int lineBytes = ends[count - 1];
    if (count > ChunkFormat.MAX_BLOCK_ENTRIES || lineBytes > ChunkFormat.MAX_COLUMN_BYTES) {
      throw new IllegalStateException("block full: " + count + " entries, " + lineBytes + " line bytes");
    }
    java.util.Objects.checkFromToIndex(0, lineBytes, lines.length);
    TokenHashes tokenHashes = s.tokenHashes; // cleared by borrow()
    s.tokens.startBlock();
    ByteSink lengthColumn = s.lengths;
    ByteSink refs = s.metadataRefs;
    Map<Label, Integer> index = s.dictIndex;
    List<Label> labels = s.dict;
    long raw = 0;
    // entries share a few metadata lists (one per detected level, interleaved where levels alternate):
    // each list's dictionary indexes and byte size are worked out once per block and found again by
    // identity, not per entry (remembering only the previous list, a JFR profile of the sealer at a
    // million lines a second still had 5% of its samples in those per-entry UTF-8 lengths)
    List<?>[] memoLists = new List<?>[METADATA_MEMO];
    int[][] memoRefs = new int[METADATA_MEMO][];
    long[] memoBytes = new long[METADATA_MEMO];
    int memoNext = 0;
    try {
      for (int i = 0, start = 0; i < count; i++) {
        if (i > 0 && ts[i] < ts[i - 1]) {
          throw new IllegalArgumentException("timestamp " + ts[i] + " of entry " + i + " before the previous entry's " + ts[i - 1]);
        }
        int len = ends[i] - start;
        if (len < 0) throw new IllegalArgumentException("line end " + ends[i] + " of entry " + i + " before its start " + start);
        s.tokens.addLine(lines, start, len, tokenHashes);
        lengthColumn.writeVarInt(len);
        raw += len;
        start = ends[i];
        List<Label> md = metadata == null ? null : metadata[i];
        int n = md == null ? 0 : md.size();
        refs.writeVarInt(n);
        if (n == 0) continue;
        int m = 0;
        while (m < METADATA_MEMO && memoLists[m] != md) m++;
        if (m == METADATA_MEMO) {
          m = memoNext;
          memoNext = (memoNext + 1) % METADATA_MEMO;
          int[] idxs = new int[n];
          long mdBytes = 0;
          for (int k = 0; k < n; k++) {
            Label l = md.get(k);
            idxs[k] = dictionaryIndex(index, labels, l);
            mdBytes += utf8Length(l.name()) + utf8Length(l.value());
          }
          memoLists[m] = md;
          memoRefs[m] = idxs;
          memoBytes[m] = mdBytes;
        }
        for (int idx : memoRefs[m]) refs.writeVarInt(idx);
        raw += memoBytes[m];
      }
      ByteSink metadataColumn = s.metadata;
      if (!labels.isEmpty()) {
        metadataColumn.writeVarInt(labels.size());
        for (Label l : labels) {
          metadataColumn.writeString(l.name());
          metadataColumn.writeString(l.value());
        }
        metadataColumn.writeBytes(refs.array(), 0, refs.size());
      }
      return finish(s, ts, count, ts[0], ts[count - 1], raw, lengthColumn, lines, lineBytes, dict);
    } finally {
      index.clear();
      labels.clear();
    }
  }

  /**
   * Writes the block: timestamps, the given lengths and lines columns, s.metadata; header, filter, CRC. The
   * lines column is compressed with {@code dict} when there is one.
   */
  private EncodedBlock finish(EncodeScratch s, long[] ts, int count, long minTs, long lastTs, long rawBytes,
      ByteSink lengths, byte[] lineBuf, int lineBytes, LineDictionary dict) {
    TokenHashes tokenHashes = s.tokenHashes;
    ByteSink metadataColumn = s.metadata;
    ByteSink timestamps = s.timestamps;
    TimestampColumn.encode(ts, count, timestamps);
    ByteSink data = s.data;
    int[] codecs = new int[4];
    int[] stored = new int[4];
    int[] rawSizes = new int[4];
    for (int c = 0; c < 4; c++) {
      byte[] src = c == 0 ? timestamps.array() : c == 1 ? lengths.array() : c == 2 ? lineBuf : metadataColumn.array();
      int size = c == 0 ? timestamps.size() : c == 1 ? lengths.size() : c == 2 ? lineBytes : metadataColumn.size();
      rawSizes[c] = size;
      int before = data.size();
      codecs[c] = ColumnCodec.RAW_ID;
      if (size > 0) {
        if (c == 2 && dict != null) {
          codec.encode(src, 0, size, data, dict);
          codecs[c] = ColumnCodec.ZSTD_DICT_ID;
        } else {
          codec.encode(src, 0, size, data);
          codecs[c] = codec.id();
        }
        if (data.size() - before >= size) { // incompressible: store as is
          data.truncate(before);
          RawColumnCodec.INSTANCE.encode(src, 0, size, data);
          codecs[c] = ColumnCodec.RAW_ID;
        }
      }
      stored[c] = data.size() - before;
    }
    ByteSink head = s.head;
    head.writeByte(ChunkFormat.BLOCK_VERSION_1);
    head.writeByte(0);
    head.writeVarInt(count);
    head.writeLongLE(minTs);
    head.writeLongLE(lastTs);
    head.writeVarLong(rawBytes);
    for (int c = 0; c < 4; c++) {
      head.writeByte(codecs[c]);
      head.writeVarInt(rawSizes[c]);
      head.writeVarInt(stored[c]);
      if (codecs[c] == ColumnCodec.ZSTD_DICT_ID) head.writeLongLE(dict.id());
    }
    s.filterBits = TokenFilter.write(tokenHashes, head, s.filterBits);
    int n = head.size() + data.size();
    byte[] bytes = new byte[n + 4];
    System.arraycopy(head.array(), 0, bytes, 0, head.size());
    System.arraycopy(data.array(), 0, bytes, head.size(), data.size());
    int crc = ChunkFormat.crc32c(bytes, 0, n);
    for (int i = 0; i < 4; i++) bytes[n + i] = (byte) (crc >>> (8 * i));
    return new EncodedBlock(bytes, BlockHeader.read(bytes, 0, bytes.length, 0, null));
  }

  /** The index of {@code l} in a block's metadata dictionary ({@code labels}, indexed by {@code index}), added when new. */
  private static int dictionaryIndex(Map<Label, Integer> index, List<Label> labels, Label l) {
    Integer idx = index.get(l);
    if (idx == null) {
      idx = labels.size();
      index.put(l, idx);
      labels.add(l);
    }
    return idx;
  }

  private static int utf8Length(String s) {
    int n = s.length();
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) return s.getBytes(StandardCharsets.UTF_8).length;
    }
    return n;
  }
}
