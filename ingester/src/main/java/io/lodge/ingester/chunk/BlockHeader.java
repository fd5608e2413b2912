package io.lodge.ingester.chunk;

/**
 * The parsed header of one block: what a reader needs to skip it (time bounds, entry count, token
 * filter) or to decode one column without touching the others.
 *
 * <pre>
 * u8      version = 1
 * u8      flags = 0 (reserved)
 * varint  entry count (>= 1)
 * i64 LE  min timestamp, i64 LE max timestamp (Unix ns; the first and last entry)
 * varint  raw bytes (line bytes plus metadata name and value bytes, as counted by limits)
 * 4 times, for the columns timestamps, line lengths, lines, metadata:
 *   u8 codec (0 raw, 1 zstd, 2 zstd with a dictionary), varint raw length, varint stored length,
 *   and for codec 2 only: u64 LE dictionary id ({@link LineDictionary#id()})
 * token filter (see {@link TokenFilter})
 * the four stored columns, back to back, in that order
 * u32 LE  CRC32C of every byte of the block before it
 * </pre>
 *
 * @param filterOffset where the token filter starts, relative to the block start (it runs to the first column)
 * @param length the whole block's length in bytes, CRC included
 * @param checksum the CRC32C stored at the end of the block
 */
public record BlockHeader(
    int version,
    int entryCount,
    long minTimestamp,
    long maxTimestamp,
    long rawBytes,
    Column timestamps,
    Column lengths,
    Column lines,
    Column metadata,
    TokenFilter filter,
    int filterOffset,
    int checksum,
    int length) {

  /**
   * Where one column sits.
   *
   * @param offset the column's first stored byte, relative to the block start
   * @param dictionary the id of the dictionary a codec-2 column needs (0 for other codecs)
   */
  public record Column(int codec, int rawLength, int storedLength, int offset, long dictionary) {
    /** Whether the column was compressed with a {@link LineDictionary} (codec 2). */
    public boolean usesDictionary() {
      return codec == ColumnCodec.ZSTD_DICT_ID;
    }
  }

  /** The stored size of all four columns (what a full decode reads). */
  public long storedColumnBytes() {
    return (long) timestamps.storedLength + lengths.storedLength + lines.storedLength + metadata.storedLength;
  }

  /**
   * Parses the header of the block in {@code buf[off, off+len)}. Does not check the CRC (callers do,
   * once per chunk or per block). Every field is range-checked.
   *
   * @param base the object offset of {@code buf[off]}, for messages
   */
  static BlockHeader read(byte[] buf, int off, int len, long base, String key) {
    if (len < 4) throw new ChunkFormatException("block length", "at least 4 bytes", Integer.toString(len), base, key);
    ByteSource src = new ByteSource(buf, off, off + len - 4, base, key);
    int version = src.readByte("block version");
    if (version != ChunkFormat.BLOCK_VERSION_1) {
      throw new ChunkFormatException("block version", "1", Integer.toString(version), base, key);
    }
    int flags = src.readByte("block flags");
    if (flags != 0) throw new ChunkFormatException("block flags", "0", Integer.toString(flags), base + 1, key);
    int count = src.readVarInt("block entry count", 1, ChunkFormat.MAX_BLOCK_ENTRIES);
    long minTs = src.readLongLE("block min timestamp");
    long maxTs = src.readLongLE("block max timestamp");
    if (minTs > maxTs) throw src.error("block max timestamp", ">= min " + minTs, Long.toString(maxTs));
    long rawBytes = src.readVarLong("block raw bytes");
    Column[] cols = new Column[4];
    int[] codecs = new int[4], raw = new int[4], stored = new int[4];
    long[] dicts = new long[4];
    for (int c = 0; c < 4; c++) {
      long at = src.offset();
      codecs[c] = src.readByte(COLUMN_NAMES[c] + " codec");
      if (codecs[c] != ColumnCodec.RAW_ID && codecs[c] != ColumnCodec.ZSTD_ID && codecs[c] != ColumnCodec.ZSTD_DICT_ID) {
        throw new ChunkFormatException(COLUMN_NAMES[c] + " codec", "0 (raw), 1 (zstd) or 2 (zstd with a dictionary)",
            Integer.toString(codecs[c]), at, key);
      }
      raw[c] = src.readVarInt(COLUMN_NAMES[c] + " raw length", 0, ChunkFormat.MAX_COLUMN_BYTES);
      stored[c] = src.readVarInt(COLUMN_NAMES[c] + " stored length", 0, len);
      if (codecs[c] == ColumnCodec.ZSTD_DICT_ID) dicts[c] = src.readLongLE(COLUMN_NAMES[c] + " dictionary id");
    }
    int filterOffset = src.position() - off;
    TokenFilter filter = TokenFilter.read(src);
    long sum = (long) stored[0] + stored[1] + stored[2] + stored[3];
    if (sum != src.remaining()) {
      throw src.error("block column lengths", src.remaining() + " bytes of columns", Long.toString(sum));
    }
    int p = src.position() - off;
    for (int c = 0; c < 4; c++) {
      cols[c] = new Column(codecs[c], raw[c], stored[c], p, dicts[c]);
      p += stored[c];
    }
    // cheap consistency checks that keep a decoder from sizing arrays from nonsense
    if (raw[0] < 2) throw src.error("timestamps raw length", ">= 2", Integer.toString(raw[0]));
    if (raw[1] < count) throw src.error("line lengths raw length", ">= entry count " + count, Integer.toString(raw[1]));
    if (rawBytes < raw[2]) throw src.error("block raw bytes", ">= line bytes " + raw[2], Long.toString(rawBytes));
    int crc = ChunkFormat.intLE(buf, off + len - 4);
    return new BlockHeader(version, count, minTs, maxTs, rawBytes, cols[0], cols[1], cols[2], cols[3], filter,
        filterOffset, crc, len);
  }

  static final String[] COLUMN_NAMES = {"timestamps", "line lengths", "lines", "metadata"};
}
