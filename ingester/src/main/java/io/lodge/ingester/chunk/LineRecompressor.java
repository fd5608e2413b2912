package io.lodge.ingester.chunk;

/**
 * Rewrites a block's lines column with a {@link LineDictionary}, leaving every other byte's meaning as it
 * was: the same entries, timestamps, lengths, metadata and token filter; only the lines column's codec,
 * dictionary id and stored bytes change, and the CRC with them. For blocks sealed before their stream's
 * dictionary existed: recompressing the one column is a fraction of sealing the block again (no token
 * pass, no other column touched).
 */
public final class LineRecompressor {
  private final ZstdColumnCodec codec;

  public LineRecompressor(int zstdLevel) {
    this(zstdLevel, 0);
  }

  /** For blocks of about {@code blockBytes} of lines (see {@link BlockBuilder#BlockBuilder(int, int)}). */
  public LineRecompressor(int zstdLevel, int blockBytes) {
    this.codec = new ZstdColumnCodec(zstdLevel, blockBytes);
  }

  /**
   * The block with its lines compressed with {@code dict}, or {@code block} itself when its lines already
   * use a dictionary, are empty, or would not shrink.
   */
  public EncodedBlock recompress(EncodedBlock block, LineDictionary dict) {
    BlockHeader h = block.header();
    BlockHeader.Column lines = h.lines();
    if (lines.codec() == ColumnCodec.ZSTD_DICT_ID || lines.rawLength() == 0) return block;
    byte[] src = block.bytes();
    byte[] raw = new byte[lines.rawLength()];
    ColumnCodec.byId(lines.codec(), lines.offset(), null)
        .decode(src, lines.offset(), lines.storedLength(), raw, 0, raw.length, lines.offset(), null);
    ByteSink packed = new ByteSink(Math.max(64, lines.storedLength()));
    codec.encode(raw, 0, raw.length, packed, dict);
    if (packed.size() >= lines.storedLength()) return block;

    ByteSink out = new ByteSink(src.length);
    out.writeByte(h.version());
    out.writeByte(0);
    out.writeVarInt(h.entryCount());
    out.writeLongLE(h.minTimestamp());
    out.writeLongLE(h.maxTimestamp());
    out.writeVarLong(h.rawBytes());
    BlockHeader.Column[] cols = {h.timestamps(), h.lengths(), lines, h.metadata()};
    for (int c = 0; c < 4; c++) {
      BlockHeader.Column col = cols[c];
      boolean isLines = c == 2;
      int codecId = isLines ? ColumnCodec.ZSTD_DICT_ID : col.codec();
      out.writeByte(codecId);
      out.writeVarInt(col.rawLength());
      out.writeVarInt(isLines ? packed.size() : col.storedLength());
      if (codecId == ColumnCodec.ZSTD_DICT_ID) out.writeLongLE(isLines ? dict.id() : col.dictionary());
    }
    // the token filter, timestamps and lengths sit back to back before the lines: copied as they were
    out.writeBytes(src, h.filterOffset(), lines.offset() - h.filterOffset());
    out.writeBytes(packed.array(), 0, packed.size());
    out.writeBytes(src, h.metadata().offset(), h.metadata().storedLength());
    out.writeIntLE(ChunkFormat.crc32c(out.array(), 0, out.size()));
    byte[] bytes = out.toByteArray();
    return new EncodedBlock(bytes, BlockHeader.read(bytes, 0, bytes.length, 0, null));
  }
}
