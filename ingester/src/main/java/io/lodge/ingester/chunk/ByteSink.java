package io.lodge.ingester.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable little-endian byte buffer that the block and chunk writers append to. Owned by one writer
 * and reused across blocks ({@link #reset()}) so encoding does not allocate per entry.
 */
final class ByteSink {
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] buf;
  private int size;

  ByteSink(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  int size() {
    return size;
  }

  /** The backing array; valid up to {@link #size()} until the next write. */
  byte[] array() {
    return buf;
  }

  /** The backing array's length: what this sink pins in memory. */
  int capacity() {
    return buf.length;
  }

  void reset() {
    size = 0;
  }

  /** Drops everything after the first {@code n} bytes. */
  void truncate(int n) {
    if (n < 0 || n > size) throw new IllegalArgumentException("truncate to " + n + " of " + size);
    size = n;
  }

  /** Makes room for {@code n} more bytes. */
  void ensure(int n) {
    long need = (long) size + n;
    if (need > buf.length) {
      if (need > Integer.MAX_VALUE - 16) throw new IllegalStateException("buffer over 2 GiB: " + need);
      buf = Arrays.copyOf(buf, (int) Math.max(need, Math.min(Integer.MAX_VALUE - 16L, buf.length * 2L)));
    }
  }

  /** Marks {@code n} bytes written directly into {@link #array()} at {@link #size()} as used. */
  void advance(int n) {
    size += n;
  }

  void writeByte(int b) {
    ensure(1);
    buf[size++] = (byte) b;
  }

  void writeBytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
  }

  void writeIntLE(int v) {
    ensure(4);
    INT_LE.set(buf, size, v);
    size += 4;
  }

  void writeLongLE(long v) {
    ensure(8);
    LONG_LE.set(buf, size, v);
    size += 8;
  }

  /** Unsigned LEB128 of a non-negative long (up to 10 bytes). */
  void writeVarLong(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
  }

  void writeVarInt(int v) {
    writeVarLong(v & 0xFFFFFFFFL);
  }

  /** ZigZag then LEB128, so small negative deltas stay small. */
  void writeZigZag(long v) {
    writeVarLong((v << 1) ^ (v >> 63));
  }

  /** A varint byte length then the UTF-8 bytes. */
  void writeString(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    writeVarInt(b.length);
    writeBytes(b, 0, b.length);
  }

  void setIntLE(int at, int v) {
    INT_LE.set(buf, at, v);
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }
}
