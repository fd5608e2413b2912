package io.lodge.ingester.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * XXH64 (seed 0) over bytes: the 64-bit hash that names a stream. Stable across versions and
 * platforms because stream ids are written to the WAL, chunk keys and the index.
 */
public final class Hash64 {
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  private Hash64() {}

  /** XXH64 of {@code b[off, off+len)} with seed 0. */
  public static long xxh64(byte[] b, int off, int len) {
    return xxh64(b, off, len, false);
  }

  /**
   * XXH64 (seed 0) of {@code b[off, off+len)} with ASCII 'A'..'Z' taken as 'a'..'z': equal to
   * {@link #xxh64} of a lower-cased copy, without the copy. Every word is lower-cased as it is loaded
   * ({@link #lowerAscii}), eight bytes at once, so the token filter's long tokens cost no byte loop.
   */
  public static long xxh64LowerAscii(byte[] b, int off, int len) {
    return xxh64(b, off, len, true);
  }

  /**
   * ASCII lower case of every byte of {@code w} at once: bytes 'A'..'Z' get 0x20 added, every other
   * byte (digits, lower case, bytes >= 0x80, zero padding) is kept.
   */
  public static long lowerAscii(long w) {
    long h = w & 0x7F7F7F7F7F7F7F7FL;
    long atLeastA = h + 0x3F3F3F3F3F3F3F3FL; // high bit set where the byte's low 7 bits >= 0x41
    long aboveZ = h + 0x2525252525252525L; // high bit set where they are >= 0x5B
    long upper = atLeastA & ~aboveZ & ~w & 0x8080808080808080L;
    return w | (upper >>> 2);
  }

  private static long xxh64(byte[] b, int off, int len, boolean lower) {
    Objects.checkFromIndexSize(off, len, b.length);
    int end = off + len;
    int p = off;
    long h;
    if (len >= 32) {
      long v1 = P1 + P2, v2 = P2, v3 = 0, v4 = -P1;
      int limit = end - 32;
      do {
        v1 = round(v1, getLong(b, p, lower));
        v2 = round(v2, getLong(b, p + 8, lower));
        v3 = round(v3, getLong(b, p + 16, lower));
        v4 = round(v4, getLong(b, p + 24, lower));
        p += 32;
      } while (p <= limit);
      h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
      h = mergeRound(h, v1);
      h = mergeRound(h, v2);
      h = mergeRound(h, v3);
      h = mergeRound(h, v4);
    } else {
      h = P5;
    }
    h += len;
    while (p + 8 <= end) {
      h ^= round(0, getLong(b, p, lower));
      h = Long.rotateLeft(h, 27) * P1 + P4;
      p += 8;
    }
    if (p + 4 <= end) {
      long w = (int) INT_LE.get(b, p) & 0xFFFFFFFFL;
      h ^= fold(w, lower) * P1;
      h = Long.rotateLeft(h, 23) * P2 + P3;
      p += 4;
    }
    while (p < end) {
      long w = b[p] & 0xFFL;
      h ^= fold(w, lower) * P5;
      h = Long.rotateLeft(h, 11) * P1;
      p++;
    }
    h ^= h >>> 33;
    h *= P2;
    h ^= h >>> 29;
    h *= P3;
    h ^= h >>> 32;
    return h;
  }

  /** XXH64 of all of {@code b}. */
  public static long xxh64(byte[] b) {
    return xxh64(b, 0, b.length);
  }

  private static long round(long acc, long input) {
    acc += input * P2;
    acc = Long.rotateLeft(acc, 31);
    return acc * P1;
  }

  private static long mergeRound(long acc, long val) {
    acc ^= round(0, val);
    return acc * P1 + P4;
  }

  private static long getLong(byte[] b, int i, boolean lower) {
    return fold((long) LONG_LE.get(b, i), lower);
  }

  /** {@code w}, lower-cased when {@code lower}: the one place the two hashes differ. */
  private static long fold(long w, boolean lower) {
    return lower ? lowerAscii(w) : w;
  }
}
