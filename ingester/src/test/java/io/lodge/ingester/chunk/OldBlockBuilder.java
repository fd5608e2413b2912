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
 * The oracle for {@link BlockBuilder}: the encoder as it was before it borrowed its encode-time scratch
 * (token set, column buffers) from a pool, kept verbatim apart from the name, so a property test can check
 * the pooled encoder writes the same bytes. Everything below is the original documentation.
 *
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
final class OldBlockBuilder {
  private final ColumnCodec codec;
  // Only the block's own data lives here between encodes, in buffers that start tiny and grow with
  // the block, so a head can keep one builder per open stream; encode-time scratch is per call.
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
  OldBlockBuilder() {
    this(ZstdColumnCodec.DEFAULT_LEVEL);
  }

  /** A builder compressing with the given zstd level (1..22; negative levels are faster). */
  OldBlockBuilder(int zstdLevel) {
    this.codec = new ZstdColumnCodec(zstdLevel);
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
      Integer idx = dictIndex.get(l);
      if (idx == null) {
        idx = dict.size();
        dictIndex.put(l, idx);
        dict.add(l);
      }
      metadataRefs.writeVarInt(idx);
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
    if (count == 0) throw new IllegalStateException("empty block");
    byte[] lineBuf = lines.array();
    Tokens tokens = new Tokens();
    TokenHashes tokenHashes = new TokenHashes();
    for (int i = 0, p = 0; i < count; i++) {
      tokens.addLine(lineBuf, p, lineLengths[i], tokenHashes);
      p += lineLengths[i];
    }
    ByteSink metadataColumn = new ByteSink(dict.isEmpty() ? 0 : 16 * dict.size() + metadataRefs.size());
    if (!dict.isEmpty()) {
      metadataColumn.writeVarInt(dict.size());
      for (Label l : dict) {
        metadataColumn.writeString(l.name());
        metadataColumn.writeString(l.value());
      }
      metadataColumn.writeBytes(metadataRefs.array(), 0, metadataRefs.size());
    }
    ByteSink timestamps = new ByteSink(16 + 8 * count);
    TimestampColumn.encode(ts, count, timestamps);
    ByteSink[] cols = {timestamps, lengths, lines, metadataColumn};
    int[] codecs = new int[4];
    int[] stored = new int[4];
    ByteSink data = new ByteSink(1024 + lines.size() / 3);
    for (int c = 0; c < 4; c++) {
      ByteSink col = cols[c];
      int before = data.size();
      codecs[c] = ColumnCodec.RAW_ID;
      if (col.size() > 0) {
        codec.encode(col.array(), 0, col.size(), data);
        codecs[c] = codec.id();
        if (data.size() - before >= col.size()) { // incompressible: store as is
          data.truncate(before);
          RawColumnCodec.INSTANCE.encode(col.array(), 0, col.size(), data);
          codecs[c] = ColumnCodec.RAW_ID;
        }
      }
      stored[c] = data.size() - before;
    }
    ByteSink head = new ByteSink(64 + 2 * tokenHashes.size());
    head.writeByte(ChunkFormat.BLOCK_VERSION_1);
    head.writeByte(0);
    head.writeVarInt(count);
    head.writeLongLE(minTs);
    head.writeLongLE(lastTs);
    head.writeVarLong(rawBytes);
    for (int c = 0; c < 4; c++) {
      head.writeByte(codecs[c]);
      head.writeVarInt(cols[c].size());
      head.writeVarInt(stored[c]);
    }
    TokenFilter.write(tokenHashes, head);
    int n = head.size() + data.size();
    byte[] bytes = new byte[n + 4];
    System.arraycopy(head.array(), 0, bytes, 0, head.size());
    System.arraycopy(data.array(), 0, bytes, head.size(), data.size());
    int crc = ChunkFormat.crc32c(bytes, 0, n);
    for (int i = 0; i < 4; i++) bytes[n + i] = (byte) (crc >>> (8 * i));
    return new EncodedBlock(bytes, BlockHeader.read(bytes, 0, bytes.length, 0, null));
  }

  private static int utf8Length(String s) {
    int n = s.length();
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) return s.getBytes(StandardCharsets.UTF_8).length;
    }
    return n;
  }
}
