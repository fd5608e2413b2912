package io.lodge.ingester.chunk;

/**
 * How one column of a block is stored. Contract: {@link #encode} appends a self-contained stored form
 * to the sink; {@link #decode} fills exactly {@code rawLen} bytes of {@code dst} or throws
 * {@link ChunkFormatException}, never any other exception, whatever the stored bytes are. The id is
 * written in the block header, so ids are forever: 0 = stored as is, 1 = zstd, 2 = zstd with a
 * {@link LineDictionary} (whose id the column descriptor carries; decoded by {@link BlockReader}, which
 * finds the dictionary, not through {@link #byId}).
 */
interface ColumnCodec {
  int RAW_ID = 0;
  int ZSTD_ID = 1;
  int ZSTD_DICT_ID = 2;

  int id();

  void encode(byte[] src, int off, int len, ByteSink out);

  /**
   * @param offset the object offset of {@code src[off]} and {@code key} the object key, for messages
   */
  void decode(byte[] src, int off, int len, byte[] dst, int dstOff, int rawLen, long offset, String key);

  /** The codec with this id, or a {@link ChunkFormatException} for an unknown one. */
  static ColumnCodec byId(int id, long offset, String key) {
    return switch (id) {
      case RAW_ID -> RawColumnCodec.INSTANCE;
      case ZSTD_ID -> ZstdColumnCodec.forDecoding();
      default -> throw new ChunkFormatException("column codec", "0 (raw), 1 (zstd) or 2 (zstd with a dictionary)",
          Integer.toString(id), offset, key);
    };
  }
}
