package io.lodge.ingester.chunk;

import io.lodge.ingester.model.Hash64;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The oracle for {@link Tokens}' scan: the tokenizer as it was before the scan classified 8 bytes at a
 * time (a per-byte table lookup and branch finding each token's bounds), kept verbatim apart from the
 * name, so tests can check the new scan adds the same hashes and writes the same filter bits. Everything
 * below is the original documentation.
 *
 * How lines are cut into tokens for the block token filter. A token is a maximal run of token bytes:
 * ASCII letters and digits, and every byte >= 0x80 (so UTF-8 text stays whole); every other ASCII byte
 * separates tokens. The filter holds each token in ASCII lower case only: its hash is XXH64 (seed 0)
 * of the lower-cased bytes. One form per token keeps the filter small (mixed-case logs would otherwise
 * insert most tokens twice) and serves case-sensitive and case-insensitive searches alike; a
 * case-sensitive needle just also matches its other-case twins, a rare extra false positive.
 * Instances own a scratch buffer and a cache of the current block's short tokens: one per thread.
 */
final class OldTokens {
  private static final boolean[] TOKEN_BYTE = new boolean[256];

  static {
    for (int c = 0; c < 256; c++) {
      TOKEN_BYTE[c] = c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
  }

  /** log2 of the slots in {@link #seen}: 4096 slots of two longs, 64 KB, stays in the L2 cache while a block is tokenised. */
  private static final int SEEN_BITS = 12;

  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] scratch = new byte[64];
  /**
   * Short tokens (at most 16 bytes) already added to the current block's set, packed as their
   * lower-cased bytes in two little-endian longs per slot (bytes 0-7, bytes 8-15). Token bytes are
   * never 0, so the packed pair names the token exactly (its length is the number of non-zero bytes)
   * and 0 marks an empty slot. Most tokens of a block repeat (the words of a few templates), and a hit
   * here skips both the hash and the probe into the set; a collision only evicts, so the set's
   * contents do not depend on the cache.
   */
  private final long[] seen = new long[2 << SEEN_BITS];

  static boolean isTokenByte(byte b) {
    return TOKEN_BYTE[b & 0xFF];
  }

  /**
   * Forgets which tokens the current set holds: call before the first line of every block (whenever
   * the set passed to {@link #addLine} is cleared or replaced).
   */
  void startBlock() {
    java.util.Arrays.fill(seen, 0L);
  }

  /**
   * Adds the hashes of every token of {@code b[off, off+len)}, lower-cased, to {@code out}. Between two
   * {@link #startBlock()} calls {@code out} must be the same set, with nothing removed from it.
   */
  void addLine(byte[] b, int off, int len, TokenHashes out) {
    int end = off + len;
    int i = off;
    long[] seen = this.seen;
    while (i < end) {
      while (i < end && !TOKEN_BYTE[b[i] & 0xFF]) i++;
      if (i == end) break;
      int s = i;
      while (i < end && TOKEN_BYTE[b[i] & 0xFF]) i++;
      int n = i - s;
      if (n <= 16) {
        // the token's bytes as two words, read whole and lower-cased 8 bytes at a time
        long key = lower8(packed(b, s, Math.min(n, 8)));
        long key2 = n > 8 ? lower8(packed(b, s + 8, n - 8)) : 0;
        int slot = (int) (((key + key2 * 31) * 0x9E3779B97F4A7C15L) >>> (64 - SEEN_BITS)) << 1;
        if (seen[slot] == key && seen[slot + 1] == key2) continue;
        seen[slot] = key;
        seen[slot + 1] = key2;
        out.add(n <= 8 ? xxh64Packed(key, n) : xxh64Packed16(key, key2, n));
      } else {
        out.add(lowerHash(b, s, n));
      }
    }
  }

  /** The {@code 1 <= n <= 8} bytes at {@code b[p]} as a little-endian long, zero above them. */
  private static long packed(byte[] b, int p, int n) {
    if (p + 8 <= b.length) {
      long w = (long) LONG_LE.get(b, p);
      return n == 8 ? w : w & ((1L << (n << 3)) - 1);
    }
    long w = 0;
    for (int j = 0; j < n; j++) w |= (b[p + j] & 0xFFL) << (j << 3);
    return w;
  }

  /**
   * ASCII lower case of every byte of {@code w} at once: bytes 'A'..'Z' get 0x20 added, every other
   * byte (digits, lower case, bytes >= 0x80, zero padding) is kept.
   */
  static long lower8(long w) {
    long h = w & 0x7F7F7F7F7F7F7F7FL;
    long atLeastA = h + 0x3F3F3F3F3F3F3F3FL; // high bit set where the byte's low 7 bits >= 0x41
    long aboveZ = h + 0x2525252525252525L; // high bit set where they are >= 0x5B
    long upper = atLeastA & ~aboveZ & ~w & 0x8080808080808080L;
    return w | (upper >>> 2);
  }

  /** XXH64 of the ASCII-lower-cased bytes. */
  long lowerHash(byte[] b, int off, int len) {
    if (scratch.length < len) scratch = new byte[Math.max(len, scratch.length * 2)];
    byte[] s = scratch;
    for (int j = 0; j < len; j++) {
      byte c = b[off + j];
      s[j] = c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
    }
    return Hash64.xxh64(s, 0, len);
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
