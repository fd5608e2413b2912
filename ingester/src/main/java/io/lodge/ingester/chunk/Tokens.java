package io.lodge.ingester.chunk;

import io.lodge.ingester.model.Hash64;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * How lines are cut into tokens for the block token filter. A token is a maximal run of token bytes:
 * ASCII letters and digits, and every byte >= 0x80 (so UTF-8 text stays whole); every other ASCII byte
 * separates tokens. The filter holds each token in ASCII lower case only: its hash is XXH64 (seed 0)
 * of the lower-cased bytes. One form per token keeps the filter small (mixed-case logs would otherwise
 * insert most tokens twice) and serves case-sensitive and case-insensitive searches alike; a
 * case-sensitive needle just also matches its other-case twins, a rare extra false positive.
 * Instances own a scratch buffer and a cache of the current block's short tokens: one per thread.
 */
public final class Tokens {
  private static final boolean[] TOKEN_BYTE = new boolean[256];

  static {
    for (int c = 0; c < 256; c++) {
      TOKEN_BYTE[c] = c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
  }

  /**
   * log2 of the slots in {@link #seen8}: 4096 longs, 32 KB. Nine tokens in ten are at most 8 bytes, so
   * their cache is the one probed for nearly every token and is kept apart from (and half the size of)
   * a two-long-per-slot table: the probe is one load and one compare.
   */
  private static final int SEEN8_BITS = 12;
  /** log2 of the slots in {@link #seen16}: 1024 slots of two longs, 16 KB, for tokens of 9 to 16 bytes. */
  private static final int SEEN16_BITS = 10;
  /** log2 of the slots in {@link #seenLong}: 256 longs, 2 KB. */
  private static final int SEEN_LONG_BITS = 8;

  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** The current line's token bytes, one bit per byte ({@link #lineBits}). */
  private long[] bits = new long[8];
  /**
   * Short tokens whose hashes the current block's {@link TokenHashes} already holds, packed as their bytes (as in the line, not
   * lower-cased) little-endian: tokens of at most 8 bytes in one long per slot here, tokens of 9 to 16
   * bytes in two longs per slot ({@link #seen16}: bytes 0-7, bytes 8-15). Token bytes are never 0, so the
   * packed value names the token exactly (its length is the number of non-zero bytes) and 0 marks an
   * empty slot. Most tokens of a block repeat (the words of a few templates), and a hit here skips the
   * hash and the append; a collision only evicts, so the set of hashes held does not depend on the cache
   * (only how often a repeat is appended again).
   */
  private final long[] seen8 = new long[1 << SEEN8_BITS];
  private final long[] seen16 = new long[2 << SEEN16_BITS];
  /**
   * Hashes of tokens longer than 16 bytes already appended in the current block, by the hash's top byte:
   * such a token is hashed at every occurrence, and an id repeated on every line (a 64-hex container
   * id) is then appended once per block instead of once per line. Hash 0 is never taken as cached.
   */
  private final long[] seenLong = new long[1 << SEEN_LONG_BITS];

  static boolean isTokenByte(byte b) {
    return TOKEN_BYTE[b & 0xFF];
  }

  /**
   * Forgets which tokens the current block holds: call before the first line of every block (whenever
   * the hashes passed to {@link #addLine} are cleared or replaced).
   */
  public void startBlock() {
    java.util.Arrays.fill(seen8, 0L);
    java.util.Arrays.fill(seen16, 0L);
    java.util.Arrays.fill(seenLong, 0L);
  }

  /**
   * Adds the hashes of every token of {@code b[off, off+len)}, lower-cased, to {@code out}. Between two
   * {@link #startBlock()} calls {@code out} must be the same, with nothing removed from it.
   *
   * <p>Two passes without a branch per byte. First the line is classified 8 bytes at a time
   * ({@link #tokenBits}) into a bitmap with one bit per byte ({@link #lineBits}). Then each token start
   * (a set bit after a clear one) is found with {@code numberOfTrailingZeros} and the token's length
   * with one more, and its bytes are read back as one or two words, already packed for the short-token
   * cache. The per-byte loop this replaces mispredicted a branch at both ends of every token.
   */
  public void addLine(byte[] b, int off, int len, TokenHashes out) {
    int chunks = lineBits(b, off, len);
    long[] bits = this.bits;
    long carry = 0; // 1 when the byte before the chunk is a token byte: a token running on does not start
    for (int c = 0; c < chunks; c++) {
      long t = bits[c];
      long starts = t & ~((t << 1) | carry);
      carry = t >>> 63;
      while (starts != 0) {
        int i = Long.numberOfTrailingZeros(starts);
        starts &= starts - 1;
        int n = Long.numberOfTrailingZeros(~(t >>> i)); // at most 64 - i: the shift brings in zeros
        if (n == 64 - i) n += runOn(bits, c + 1); // the token reaches the chunk's end
        int s = off + (c << 6) + i;
        if (n <= 8) {
          add8(load8(b, s) & (-1L >>> (64 - (n << 3))), n, out);
        } else if (n <= 16) {
          add16(load8(b, s), load8(b, s + 8) & (-1L >>> (128 - (n << 3))), n, out);
        } else {
          addLong(Hash64.xxh64LowerAscii(b, s, n), out); // lower-cased as it is hashed
        }
      }
    }
  }

  /** The length of the token bytes at the start of chunk {@code c} and after it (the chunk past the line is 0). */
  private static int runOn(long[] bits, int c) {
    int n = 0;
    while (bits[c] == -1L) {
      n += 64;
      c++;
    }
    return n + Long.numberOfTrailingZeros(~bits[c]);
  }

  /**
   * Fills {@link #bits} with the token bytes of {@code b[off, off+len)}: bit {@code i % 64} of
   * {@code bits[i / 64]} for byte {@code off + i}, zero past the line, and one more zero chunk after the
   * last; returns the number of chunks the line covers.
   */
  private int lineBits(byte[] b, int off, int len) {
    int chunks = (len + 63) >>> 6;
    if (bits.length <= chunks) bits = new long[Math.max(chunks + 1, 2 * bits.length)];
    long[] bits = this.bits;
    int end = off + len;
    int p = off;
    int whole = len >>> 6;
    for (int c = 0; c < whole; c++) { // a fixed 8 words per chunk: unrolled, constant shifts
      long acc = 0;
      for (int j = 0; j < 64; j += 8, p += 8) acc |= byteMask(tokenBits((long) LONG_LE.get(b, p))) << j;
      bits[c] = acc;
    }
    long acc = 0;
    int j = 0;
    for (; p + 8 <= end; p += 8, j += 8) acc |= byteMask(tokenBits((long) LONG_LE.get(b, p))) << j;
    if (p < end) acc |= byteMask(tokenBits(word(b, p, end))) << j;
    bits[whole] = acc; // the partial last chunk, or the zero chunk after a line of whole chunks
    bits[chunks] = 0;
    return chunks;
  }

  /**
   * One bit per byte of a {@link #tokenBits} mask: bit {@code i} is the high bit of byte {@code i}. Byte
   * bit {@code 8i} times multiplier bit {@code 56 - 7j} lands on bit {@code 56 + 8i - 7j}, a different bit
   * for every {@code (i, j)}, so nothing carries and the top byte holds exactly the terms {@code i == j}.
   */
  static long byteMask(long highBits) {
    return ((highBits >>> 7) * 0x0102040810204080L) >>> 56;
  }

  /** The 8 bytes at {@code b[p]} as a little-endian long; those past the array's end are zero. */
  private static long load8(byte[] b, int p) {
    if (p + 8 <= b.length) return (long) LONG_LE.get(b, p);
    return word(b, p, b.length);
  }

  /**
   * Adds the token of {@code n <= 8} bytes packed as they are in the line in {@code key} unless the cache
   * says the block's hashes already hold it. The cache keys tokens by their bytes before lower-casing, so a hit
   * costs no lower-casing; an other-case twin takes its own slot, and its hash, equal to the first's, is
   * simply added again.
   */
  private void add8(long key, int n, TokenHashes out) {
    long[] seen = seen8;
    int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> (64 - SEEN8_BITS));
    if (seen[slot] == key) return;
    seen[slot] = key;
    out.add(xxh64Packed(Hash64.lowerAscii(key), n));
  }

  /** Like {@link #add8} for a token of {@code 8 < n <= 16} bytes: bytes 0-7 in {@code key}, 8-15 in {@code key2}. */
  private void add16(long key, long key2, int n, TokenHashes out) {
    long[] seen = seen16;
    int slot = (int) (((key + key2 * 31) * 0x9E3779B97F4A7C15L) >>> (64 - SEEN16_BITS)) << 1;
    if (seen[slot] == key && seen[slot + 1] == key2) return;
    seen[slot] = key;
    seen[slot + 1] = key2;
    out.add(xxh64Packed16(Hash64.lowerAscii(key), Hash64.lowerAscii(key2), n));
  }

  /** Appends the hash of a token longer than 16 bytes unless {@link #seenLong} has it. */
  private void addLong(long hash, TokenHashes out) {
    int slot = (int) (hash >>> (64 - SEEN_LONG_BITS));
    if (hash != 0 && seenLong[slot] == hash) return;
    seenLong[slot] = hash;
    out.add(hash);
  }

  private static final long HIGH = 0x8080808080808080L;

  /**
   * The 8 bytes at {@code b[p]} as a little-endian long, with the bytes at and after {@code end} zero (a
   * separator, so a line's end ends its last token) and zero when {@code p >= end}. Never reads past
   * the array.
   */
  static long word(byte[] b, int p, int end) {
    int r = end - p;
    if (r >= 8) return (long) LONG_LE.get(b, p);
    if (r <= 0) return 0;
    long w;
    if (p + 8 <= b.length) {
      w = (long) LONG_LE.get(b, p);
    } else if (b.length >= 8) { // the line ends the array: read the last 8 bytes, drop those before p
      w = (long) LONG_LE.get(b, b.length - 8) >>> ((p + 8 - b.length) << 3);
    } else {
      w = 0;
      for (int k = 0; k < r; k++) w |= (b[p + k] & 0xFFL) << (k << 3);
    }
    return w & ((1L << (r << 3)) - 1);
  }

  /**
   * 0x80 in every byte of {@code w} that is a token byte, 0 elsewhere: bytes >= 0x80 by their own high
   * bit, digits and letters by range tests on the low 7 bits (adding {@code 0x80 - lo} sets a byte's high
   * bit exactly when it is >= {@code lo}, and no carry crosses bytes since they are at most 0x7F). Letters
   * are tested once, on the byte with bit 0x20 set, which maps 'A'..'Z' onto 'a'..'z' and nothing else there.
   */
  static long tokenBits(long w) {
    long h = w & 0x7F7F7F7F7F7F7F7FL;
    long digit = (h + 0x5050505050505050L) & ~(h + 0x4646464646464646L); // >= '0' and not >= ':'
    long l = h | 0x2020202020202020L;
    long alpha = (l + 0x1F1F1F1F1F1F1F1FL) & ~(l + 0x0505050505050505L); // >= 'a' and not >= '{'
    return (w | digit | alpha) & HIGH;
  }

  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  /** {@link Hash64#xxh64} of {@code 8 < n <= 16} bytes packed little-endian in {@code k1} (bytes 0-7) and {@code k2}. */
  static long xxh64Packed16(long k1, long k2, int n) {
    long h = P5 + n;
    h ^= Long.rotateLeft(k1 * P2, 31) * P1;
    h = Long.rotateLeft(h, 27) * P1 + P4;
    int rest = n - 8;
    if (rest == 8) {
      h ^= Long.rotateLeft(k2 * P2, 31) * P1;
      h = Long.rotateLeft(h, 27) * P1 + P4;
    } else {
      h = tail(h, k2, rest);
    }
    return avalanche(h);
  }

  /**
   * {@link Hash64#xxh64} (seed 0) of the {@code n <= 8} bytes packed little-endian in {@code key}: the
   * short-input path of XXH64 without reading the bytes back from memory. Equal to
   * {@code Hash64.xxh64} of those bytes (TokensOracleTest).
   */
  static long xxh64Packed(long key, int n) {
    long h = P5 + n;
    if (n == 8) {
      h ^= Long.rotateLeft(key * P2, 31) * P1;
      h = Long.rotateLeft(h, 27) * P1 + P4;
    } else {
      h = tail(h, key, n);
    }
    return avalanche(h);
  }

  /** XXH64's last steps for {@code n < 8} bytes packed in {@code key}: a 4-byte lane, then single bytes. */
  private static long tail(long h, long key, int n) {
    int p = 0;
    if (n >= 4) {
      h ^= (key & 0xFFFFFFFFL) * P1;
      h = Long.rotateLeft(h, 23) * P2 + P3;
      p = 4;
    }
    for (; p < n; p++) {
      h ^= ((key >>> (p << 3)) & 0xFFL) * P5;
      h = Long.rotateLeft(h, 11) * P1;
    }
    return h;
  }

  private static long avalanche(long h) {
    h ^= h >>> 33;
    h *= P2;
    h ^= h >>> 29;
    h *= P3;
    h ^= h >>> 32;
    return h;
  }
}
