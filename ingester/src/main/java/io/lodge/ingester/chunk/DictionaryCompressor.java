package io.lodge.ingester.chunk;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictContentType;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A line dictionary prepared for compressing at one zstd level. The dictionary bytes sit at the start of a
 * direct buffer with room for one block's lines right after them (and for the frame after that), and the
 * zstd CDict refers to them in place. A block copied into that room continues the dictionary in memory,
 * so zstd searches dictionary and block as one window with its plain match finder; a block anywhere else
 * makes it check for every candidate which of two segments the match lies in (its "extDict" path), 12-18%
 * slower on these blocks (BENCHMARKS.md, "Contiguous dictionary window"). One block at a time uses the
 * room; a concurrent one, or one larger than the room, compresses from where it is against the same CDict,
 * to the same kind of frame. Thread-safe.
 */
final class DictionaryCompressor implements AutoCloseable {
  /** The least room made for a block, so that a first small block does not size it for everyone. */
  static final int MIN_ROOM = 320 << 10;
  /** The most: a larger block (a huge line, a huge block size) compresses where it is instead. */
  static final int MAX_ROOM = 16 << 20;

  private final int level;
  private final int dictBytes;
  private final int room;
  private final ByteBuffer area; // [dictionary][room for a block's lines][room for its frame]
  private final ZstdDictCompress cdict;
  private final ReentrantLock roomLock = new ReentrantLock();
  /** Compressions hold the read lock, {@link #close()} the write lock: the CDict is freed only when unused. */
  private final ReentrantReadWriteLock life = new ReentrantReadWriteLock();
  private boolean closed; // guarded by life

  /**
   * For {@code dict} at {@code level}, with room for blocks of about {@code blockBytes} (and a quarter more,
   * within [{@link #MIN_ROOM}, {@link #MAX_ROOM}]).
   */
  DictionaryCompressor(byte[] dict, ZstdDictContentType type, int level, int blockBytes) {
    this.level = level;
    this.dictBytes = dict.length;
    this.room = (int) Math.min(MAX_ROOM, Math.max(MIN_ROOM, blockBytes + (long) blockBytes / 4));
    long capacity = (long) dict.length + room + Zstd.compressBound(room);
    if (capacity > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a dictionary of " + dict.length + " bytes is too large to compress with");
    }
    this.area = ByteBuffer.allocateDirect((int) capacity);
    area.put(dict).flip(); // the CDict sees [0, dict.length)
    this.cdict = new ZstdDictCompress(area.duplicate(), level, true, type); // by reference: no native copy
    area.clear();
  }

  int level() {
    return level;
  }

  /**
   * Compresses {@code src[off, off+len)} as one zstd frame into {@code dst[dstOff, dstOff+dstCap)} with
   * {@code ctx} (left without the dictionary afterwards); returns the frame's length.
   */
  int compress(ZstdCompressCtx ctx, byte[] src, int off, int len, byte[] dst, int dstOff, int dstCap) {
    life.readLock().lock();
    try {
      if (closed) throw new IllegalStateException("line dictionary compressor is closed");
      ctx.loadDict(cdict);
      try {
        if (len <= room && roomLock.tryLock()) {
          try {
            return compressAfterDictionary(ctx, src, off, len, dst, dstOff, dstCap);
          } finally {
            roomLock.unlock();
          }
        }
        return ctx.compressByteArray(dst, dstOff, dstCap, src, off, len);
      } finally {
        ctx.reset(); // back to no dictionary for the next borrower
      }
    } finally {
      life.readLock().unlock();
    }
  }

  private int compressAfterDictionary(ZstdCompressCtx ctx, byte[] src, int off, int len, byte[] dst, int dstOff,
      int dstCap) {
    area.put(dictBytes, src, off, len);
    int frameAt = dictBytes + room;
    int n = ctx.compressDirectByteBuffer(area, frameAt, area.capacity() - frameAt, area, dictBytes, len);
    if (n > dstCap) throw new IllegalStateException("zstd frame of " + n + " bytes exceeds its bound " + dstCap);
    area.get(frameAt, dst, dstOff, n);
    return n;
  }

  @Override
  public void close() {
    life.writeLock().lock();
    try {
      if (!closed) cdict.close();
      closed = true;
    } finally {
      life.writeLock().unlock();
    }
  }
}
