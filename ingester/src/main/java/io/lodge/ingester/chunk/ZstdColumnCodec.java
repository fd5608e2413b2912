package io.lodge.ingester.chunk;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Compresses a column as one zstd frame (zstd-jni). Native contexts are expensive to create (a level-3
 * compression context is about a megabyte), so calls borrow them from small bounded pools instead of
 * creating one per block. Not thread-locals: zstd-jni contexts have no finalizer, so contexts of dead
 * (or virtual) threads would leak native memory; a pool keeps native memory bounded by its size. The
 * level is set per call.
 */
final class ZstdColumnCodec implements ColumnCodec {
  /** The default level: a good speed/ratio balance for logs. */
  static final int DEFAULT_LEVEL = 3;

  private static final int POOL_SIZE = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
  private static final ArrayBlockingQueue<ZstdCompressCtx> COMPRESS = new ArrayBlockingQueue<>(POOL_SIZE);
  private static final ArrayBlockingQueue<ZstdDecompressCtx> DECOMPRESS = new ArrayBlockingQueue<>(POOL_SIZE);
  private static final ZstdColumnCodec DECODER = new ZstdColumnCodec(DEFAULT_LEVEL);

  private final int level;
  /** The block size dictionaries prepare room for (the first block's when 0): see {@link DictionaryCompressor}. */
  private final int blockBytes;

  ZstdColumnCodec(int level) {
    this(level, 0);
  }

  /** At {@code level}, for lines columns of blocks of about {@code blockBytes} (the head's block size). */
  ZstdColumnCodec(int level, int blockBytes) {
    if (level < Zstd.minCompressionLevel() || level > Zstd.maxCompressionLevel()) {
      throw new IllegalArgumentException("zstd level " + level + " outside [" + Zstd.minCompressionLevel()
          + ", " + Zstd.maxCompressionLevel() + "]");
    }
    this.level = level;
    this.blockBytes = blockBytes;
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
    encode(src, off, len, out, null);
  }

  /**
   * Appends {@code src[off, off+len)} as one zstd frame at this codec's level, compressed with {@code dict}
   * when there is one (null: without).
   */
  void encode(byte[] src, int off, int len, ByteSink out, LineDictionary dict) {
    int bound = (int) Math.min(Integer.MAX_VALUE - 64, Zstd.compressBound(len));
    out.ensure(bound);
    ZstdCompressCtx ctx = COMPRESS.poll();
    if (ctx == null) ctx = new ZstdCompressCtx();
    int n;
    try {
      if (dict == null) {
        ctx.setLevel(level);
        n = ctx.compressByteArray(out.array(), out.size(), bound, src, off, len);
      } else { // the dictionary's level supersedes the context's
        n = dict.compressor(level, Math.max(blockBytes, len)).compress(ctx, src, off, len, out.array(), out.size(), bound);
      }
    } finally {
      if (!COMPRESS.offer(ctx)) ctx.close();
    }
    out.advance(n);
  }

  @Override
  public void decode(byte[] src, int off, int len, byte[] dst, int dstOff, int rawLen, long offset, String key) {
    decode(src, off, len, dst, dstOff, rawLen, null, offset, key);
  }

  /** {@link #decode} of a frame compressed with {@code dict} (null: without a dictionary). */
  static void decode(byte[] src, int off, int len, byte[] dst, int dstOff, int rawLen, LineDictionary dict,
      long offset, String key) {
    ZstdDecompressCtx ctx = DECOMPRESS.poll();
    if (ctx == null) ctx = new ZstdDecompressCtx();
    int n;
    try {
      if (dict != null) ctx.loadDict(dict.decompressor());
      n = ctx.decompressByteArray(dst, dstOff, rawLen, src, off, len);
    } catch (ZstdException e) {
      throw new ChunkFormatException("zstd column", "a valid zstd frame of " + rawLen + " bytes"
          + (dict == null ? "" : " with dictionary " + dict.hexId()), "error " + e.getMessage(), offset, key, e);
    } finally {
      // a failed call leaves the context reusable: zstd resets a context at the start of each frame
      if (dict != null) ctx.reset(); // and forgets the dictionary for the next borrower
      if (!DECOMPRESS.offer(ctx)) ctx.close();
    }
    if (n != rawLen) {
      throw new ChunkFormatException("zstd column", rawLen + " decompressed bytes", Integer.toString(n), offset, key);
    }
  }
}
