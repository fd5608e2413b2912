package io.lodge.ingester.chunk;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;

/**
 * Compresses a column as one zstd frame (zstd-jni). Native contexts are expensive to create (a level-3
 * compression context is about a megabyte), so each thread keeps one compression and one decompression
 * context for its lifetime instead of one per block; the level is set per call.
 */
final class ZstdColumnCodec implements ColumnCodec {
  /** The default level: a good speed/ratio balance for logs. */
  static final int DEFAULT_LEVEL = 3;

  private static final ThreadLocal<ZstdCompressCtx> COMPRESS = ThreadLocal.withInitial(ZstdCompressCtx::new);
  private static final ThreadLocal<ZstdDecompressCtx> DECOMPRESS = ThreadLocal.withInitial(ZstdDecompressCtx::new);
  private static final ZstdColumnCodec DECODER = new ZstdColumnCodec(DEFAULT_LEVEL);

  private final int level;

  ZstdColumnCodec(int level) {
    if (level < Zstd.minCompressionLevel() || level > Zstd.maxCompressionLevel()) {
      throw new IllegalArgumentException("zstd level " + level + " outside [" + Zstd.minCompressionLevel()
          + ", " + Zstd.maxCompressionLevel() + "]");
    }
    this.level = level;
  }

  /** Decoding does not depend on the level. */
  static ZstdColumnCodec forDecoding() {
    return DECODER;
  }

  @Override
  public int id() {
    return ZSTD_ID;
  }

  @Override
  public void encode(byte[] src, int off, int len, ByteSink out) {
    int bound = (int) Math.min(Integer.MAX_VALUE - 64, Zstd.compressBound(len));
    out.ensure(bound);
    ZstdCompressCtx ctx = COMPRESS.get();
    ctx.setLevel(level);
    int n = ctx.compressByteArray(out.array(), out.size(), bound, src, off, len);
    out.advance(n);
  }

  @Override
  public void decode(byte[] src, int off, int len, byte[] dst, int dstOff, int rawLen, long offset, String key) {
    int n;
    try {
      n = DECOMPRESS.get().decompressByteArray(dst, dstOff, rawLen, src, off, len);
    } catch (ZstdException e) {
      throw new ChunkFormatException("zstd column", "a valid zstd frame of " + rawLen + " bytes",
          "error " + e.getMessage(), offset, key, e);
    }
    if (n != rawLen) {
      throw new ChunkFormatException("zstd column", rawLen + " decompressed bytes", Integer.toString(n), offset, key);
    }
  }
}
