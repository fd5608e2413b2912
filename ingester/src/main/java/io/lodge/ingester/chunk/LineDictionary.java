package io.lodge.ingester.chunk;

import com.github.luben.zstd.ZstdDictContentType;
import com.github.luben.zstd.ZstdDictDecompress;
import io.lodge.ingester.model.Hash64;
import java.util.Arrays;
import java.util.Objects;

/**
 * A zstd dictionary for the lines column of blocks (zstd's trained format, or raw content: any other bytes), known by {@link #id()}: the XXH64 of its bytes, which
 * blocks compressed with it carry (codec {@link ColumnCodec#ZSTD_DICT_ID}). The same bytes always give the
 * same id, so an id names one dictionary forever. Its native forms (a {@link DictionaryCompressor} for the
 * level it is used at, one DDict) are made on first use and shared by every thread; {@link #close()} frees
 * them.
 */
public final class LineDictionary implements AutoCloseable {
  private final long id;
  private final byte[] bytes;
  private DictionaryCompressor compress; // guarded by this
  private volatile ZstdDictDecompress decompress;
  private boolean closed; // guarded by this

  /** Takes ownership of {@code bytes}; never mutate them afterwards. */
  public LineDictionary(byte[] bytes) {
    this.bytes = Objects.requireNonNull(bytes, "bytes");
    if (bytes.length == 0) throw new IllegalArgumentException("an empty dictionary");
    this.id = idOf(bytes);
  }

  /** The id a dictionary with these bytes has. */
  public static long idOf(byte[] bytes) {
    return Hash64.xxh64(bytes);
  }

  public long id() {
    return id;
  }

  public int size() {
    return bytes.length;
  }

  /** A copy of the dictionary bytes (for storing it). */
  public byte[] bytes() {
    return Arrays.copyOf(bytes, bytes.length);
  }

  /**
   * The compression form for {@code level}; a dictionary is used at one level, so one is kept (another
   * level replaces it). Made for blocks of about {@code blockBytes} (the first caller's): larger ones still
   * compress, only without the contiguous window.
   */
  synchronized DictionaryCompressor compressor(int level, int blockBytes) {
    if (closed) throw new IllegalStateException("dictionary " + hexId() + " is closed");
    if (compress == null || compress.level() != level) {
      if (compress != null) compress.close();
      compress = new DictionaryCompressor(bytes, contentType(), level, blockBytes);
    }
    return compress;
  }

  ZstdDictDecompress decompressor() {
    ZstdDictDecompress d = decompress;
    if (d != null) return d;
    synchronized (this) {
      if (closed) throw new IllegalStateException("dictionary " + hexId() + " is closed");
      if (decompress == null) decompress = new ZstdDictDecompress(bytes, 0, bytes.length, contentType());
      return decompress;
    }
  }

  /**
   * zstd's own format (from its trainer) when the bytes start with its dictionary magic, else raw content:
   * what zstd would guess, said explicitly so that both sides always agree.
   */
  private ZstdDictContentType contentType() {
    boolean formatted = bytes.length >= 8 && (bytes[0] & 0xFF) == 0x37 && (bytes[1] & 0xFF) == 0xA4
        && (bytes[2] & 0xFF) == 0x30 && (bytes[3] & 0xFF) == 0xEC;
    return formatted ? ZstdDictContentType.FULL_DICT : ZstdDictContentType.RAW_CONTENT;
  }

  /** The id as 16 lower-case hex digits, as object keys and messages show it. */
  public String hexId() {
    return hex(id);
  }

  public static String hex(long id) {
    String h = Long.toHexString(id);
    return "0".repeat(16 - h.length()) + h;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (compress != null) compress.close();
    if (decompress != null) decompress.close();
    compress = null;
    decompress = null;
  }

  @Override
  public String toString() {
    return "LineDictionary[" + hexId() + ", " + bytes.length + " bytes]";
  }
}
