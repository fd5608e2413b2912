package io.lodge.ingester.chunk;

import io.lodge.ingester.model.Hash64;

/**
 * How lines are cut into tokens for the block token filter. A token is a maximal run of token bytes:
 * ASCII letters and digits, and every byte >= 0x80 (so UTF-8 text stays whole); every other ASCII byte
 * separates tokens. The filter holds each token in ASCII lower case only: its hash is XXH64 (seed 0)
 * of the lower-cased bytes. One form per token keeps the filter small (mixed-case logs would otherwise
 * insert most tokens twice) and serves case-sensitive and case-insensitive searches alike; a
 * case-sensitive needle just also matches its other-case twins, a rare extra false positive.
 * Instances own a scratch buffer: one per thread.
 */
final class Tokens {
  private static final boolean[] TOKEN_BYTE = new boolean[256];

  static {
    for (int c = 0; c < 256; c++) {
      TOKEN_BYTE[c] = c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
  }

  private byte[] scratch = new byte[64];

  static boolean isTokenByte(byte b) {
    return TOKEN_BYTE[b & 0xFF];
  }

  /** Adds the hashes of every token of {@code b[off, off+len)}, lower-cased, to {@code out}. */
  void addLine(byte[] b, int off, int len, LongHashSet out) {
    int end = off + len;
    int i = off;
    while (i < end) {
      while (i < end && !TOKEN_BYTE[b[i] & 0xFF]) i++;
      if (i == end) break;
      int s = i;
      boolean upper = false;
      while (i < end && TOKEN_BYTE[b[i] & 0xFF]) {
        byte c = b[i];
        if (c >= 'A' && c <= 'Z') upper = true;
        i++;
      }
      out.add(upper ? lowerHash(b, s, i - s) : Hash64.xxh64(b, s, i - s));
    }
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
}
