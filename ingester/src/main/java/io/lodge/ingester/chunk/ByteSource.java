package io.lodge.ingester.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked little-endian reader over {@code buf[pos, end)}. Every read that would run past the
 * end, and every varint that is too long, throws {@link ChunkFormatException} with the absolute offset
 * ({@code base} + position) and the object key, so corrupt input never escapes as another exception.
 */
final class ByteSource {
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private final byte[] buf;
  private final int start;
  private final int end;
  private final long base;
  private final String key;
  private int pos;

  /**
   * @param base the offset of {@code buf[start]} within the object, for error messages
   */
  ByteSource(byte[] buf, int start, int end, long base, String key) {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.base = base;
    this.key = key;
    this.pos = start;
  }

  /** The underlying array (positions are indexes into it). */
  byte[] array() {
    return buf;
  }

  int position() {
    return pos;
  }

  void position(int p) {
    pos = p;
  }

  int remaining() {
    return end - pos;
  }

  /** The object offset of the current position, for messages. */
  long offset() {
    return base + (pos - start);
  }

  String key() {
    return key;
  }

  ChunkFormatException error(String what, String expected, String actual) {
    return new ChunkFormatException(what, expected, actual, offset(), key);
  }

  private void need(String what, int n) {
    if (end - pos < n) throw error(what, n + " more bytes", (end - pos) + " before the end");
  }

  int readByte(String what) {
    need(what, 1);
    return buf[pos++] & 0xFF;
  }

  int readIntLE(String what) {
    need(what, 4);
    int v = (int) INT_LE.get(buf, pos);
    pos += 4;
    return v;
  }

  long readLongLE(String what) {
    need(what, 8);
    long v = (long) LONG_LE.get(buf, pos);
    pos += 8;
    return v;
  }

  long readVarLong(String what) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) throw error(what, "a varint byte", "the end of the data");
      int b = buf[pos++];
      v |= (long) (b & 0x7F) << shift;
      if (b >= 0) return v;
    }
    throw error(what, "a varint of at most 10 bytes", "a longer one");
  }

  /** A varint that must lie in [min, max]. */
  int readVarInt(String what, int min, int max) {
    long at = offset();
    long v = readVarLong(what);
    if (v < min || v > max) {
      throw new ChunkFormatException(what, "a value in [" + min + ", " + max + "]", Long.toString(v), at, key);
    }
    return (int) v;
  }

  long readZigZag(String what) {
    long v = readVarLong(what);
    return (v >>> 1) ^ -(v & 1);
  }

  /** Skips {@code n} bytes and returns the position where they start. */
  int skip(String what, int n) {
    need(what, n);
    int p = pos;
    pos += n;
    return p;
  }

  /** A varint length (at most {@code maxLen}) then that many UTF-8 bytes. */
  String readString(String what, int maxLen) {
    int n = readVarInt(what + " length", 0, maxLen);
    int p = skip(what, n);
    return new String(buf, p, n, StandardCharsets.UTF_8);
  }

  void expectEnd(String what) {
    if (pos != end) throw error(what, "the end of the data", (end - pos) + " trailing bytes");
  }
}
