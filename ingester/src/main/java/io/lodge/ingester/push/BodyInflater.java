package io.lodge.ingester.push;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Streams a {@code gzip} or {@code deflate} (raw RFC 1951, not zlib) push body into a new heap buffer
 * that never grows past the configured limit (LOKI-COMPAT 1.3, step 1). Reads the input in place through
 * its NIO views (heap, direct or composite), never changes its indexes and never releases it; the caller
 * owns and releases the returned buffer.
 *
 * <p>gzip follows Go's {@code gzip.Reader}: several concatenated members are one body, each member's
 * CRC-32 and length are checked, anything but another member after a member is an invalid header.
 * deflate follows Go's {@code flate.Reader}: bytes after the final block are ignored.
 */
final class BodyInflater {
  private static final int FHCRC = 0x02;
  private static final int FEXTRA = 0x04;
  private static final int FNAME = 0x08;
  private static final int FCOMMENT = 0x10;

  private final ByteBufAllocator alloc;
  private final long maxBytes;

  BodyInflater(ByteBufAllocator alloc, long maxBytes) {
    this.alloc = alloc;
    this.maxBytes = Math.min(maxBytes, Integer.MAX_VALUE - 16);
  }

  /** gunzips {@code in}'s readable bytes. */
  ByteBuf gunzip(ByteBuf in) {
    int pos = in.readerIndex();
    int end = in.writerIndex();
    ByteBuf out = newOutput(in.readableBytes());
    Inflater inflater = new Inflater(true);
    try {
      if (pos == end) throw new PushDecodeException("gzip: unexpected EOF (empty body)");
      while (pos < end) {
        pos = readHeader(in, pos, end);
        int start = out.writerIndex();
        inflater.reset();
        pos = inflate(inflater, in, pos, end, out, "gzip");
        if (end - pos < 8) throw new PushDecodeException("gzip: unexpected EOF (missing trailer)");
        CRC32 crc = new CRC32();
        crc.update(out.array(), out.arrayOffset() + start, out.writerIndex() - start);
        long expectedCrc = in.getUnsignedIntLE(pos);
        long expectedSize = in.getUnsignedIntLE(pos + 4);
        if (crc.getValue() != expectedCrc || ((out.writerIndex() - start) & 0xFFFFFFFFL) != expectedSize) {
          throw new PushDecodeException("gzip: invalid checksum");
        }
        pos += 8;
      }
      return out.retain();
    } finally {
      inflater.end();
      out.release();
    }
  }

  /** Inflates {@code in}'s readable bytes as raw DEFLATE. */
  ByteBuf inflateRaw(ByteBuf in) {
    ByteBuf out = newOutput(in.readableBytes());
    Inflater inflater = new Inflater(true);
    try {
      inflate(inflater, in, in.readerIndex(), in.writerIndex(), out, "deflate");
      return out.retain();
    } finally {
      inflater.end();
      out.release();
    }
  }

  private ByteBuf newOutput(int compressedLength) {
    // A first guess of 4x the input, grown by doubling; the limit bounds it either way.
    long guess = Math.max(4096L, Math.min(4L * compressedLength, 1L << 20));
    return alloc.heapBuffer((int) Math.min(guess, maxBytes + 1));
  }

  /**
   * Checks the first gzip member header of {@code in} without inflating anything (Go's
   * {@code gzip.NewReader} fails at this point, before Loki looks at the Content-Type).
   */
  static void checkGzipHeader(ByteBuf in) {
    if (!in.isReadable()) throw new PushDecodeException("gzip: unexpected EOF (empty body)");
    readHeader(in, in.readerIndex(), in.writerIndex());
  }

  /** Parses one gzip member header (RFC 1952) at {@code pos}; returns where the deflate data starts. */
  private static int readHeader(ByteBuf in, int pos, int end) {
    if (end - pos < 10) {
      if (in.getUnsignedByte(pos) != 0x1F || (end - pos > 1 && in.getUnsignedByte(pos + 1) != 0x8B)) {
        throw new PushDecodeException("gzip: invalid header");
      }
      throw new PushDecodeException("gzip: unexpected EOF (truncated header)");
    }
    if (in.getUnsignedByte(pos) != 0x1F || in.getUnsignedByte(pos + 1) != 0x8B || in.getUnsignedByte(pos + 2) != 8) {
      throw new PushDecodeException("gzip: invalid header");
    }
    int flags = in.getUnsignedByte(pos + 3);
    int p = pos + 10;
    if ((flags & FEXTRA) != 0) {
      if (end - p < 2) throw truncatedHeader();
      p += 2 + in.getUnsignedShortLE(p);
    }
    if ((flags & FNAME) != 0) p = skipZeroTerminated(in, p, end);
    if ((flags & FCOMMENT) != 0) p = skipZeroTerminated(in, p, end);
    if (p > end) throw truncatedHeader();
    if ((flags & FHCRC) != 0) {
      if (end - p < 2) throw truncatedHeader();
      CRC32 crc = new CRC32();
      crc.update(in.nioBuffer(pos, p - pos));
      if ((crc.getValue() & 0xFFFF) != in.getUnsignedShortLE(p)) throw new PushDecodeException("gzip: invalid header");
      p += 2;
    }
    return p;
  }

  private static int skipZeroTerminated(ByteBuf in, int p, int end) {
    if (p >= end) throw truncatedHeader();
    int zero = in.indexOf(p, end, (byte) 0);
    if (zero < 0) throw truncatedHeader();
    return zero + 1;
  }

  private static PushDecodeException truncatedHeader() {
    return new PushDecodeException("gzip: unexpected EOF (truncated header)");
  }

  /**
   * Inflates one DEFLATE stream starting at {@code pos} into {@code out}; returns the position just after
   * the stream's final block.
   */
  private int inflate(Inflater inflater, ByteBuf in, int pos, int end, ByteBuf out, String format) {
    int fed = pos; // absolute index up to which input was handed to the inflater
    try {
      while (!inflater.finished()) {
        // Inflate first: zlib may hold pending output although all input was consumed (needsInput()).
        if (out.writableBytes() == 0) grow(out);
        int room = (int) Math.min(out.writableBytes(), maxBytes + 1 - out.writerIndex());
        int n = inflater.inflate(out.array(), out.arrayOffset() + out.writerIndex(), room);
        out.writerIndex(out.writerIndex() + n);
        if (out.writerIndex() > maxBytes) throw tooLarge(format);
        if (n > 0 || inflater.finished()) continue;
        if (inflater.needsDictionary()) {
          throw new PushDecodeException("flate: corrupt input (preset dictionary requested)");
        }
        if (!inflater.needsInput()) throw new PushDecodeException("flate: corrupt input (no progress)"); // never spin
        if (fed == end) throw new PushDecodeException(format + ": unexpected EOF (compressed data truncated)");
        ByteBuffer chunk = nextChunk(in, fed, end);
        inflater.setInput(chunk);
        fed += chunk.remaining();
      }
    } catch (DataFormatException e) {
      throw new PushDecodeException("flate: corrupt input (" + e.getMessage() + ")", e);
    }
    return fed - inflater.getRemaining();
  }

  private void grow(ByteBuf out) {
    if (out.writerIndex() > maxBytes) throw new IllegalStateException("output past the limit was not refused");
    long target = Math.min(Math.max(out.capacity() * 2L, 4096), maxBytes + 1);
    out.capacity((int) target);
  }

  /** The NIO view of the component holding {@code from}, so composite buffers are fed piece by piece. */
  private static ByteBuffer nextChunk(ByteBuf in, int from, int end) {
    if (in.nioBufferCount() == 1) return in.nioBuffer(from, end - from);
    // Feed at most 64 KiB at a time so a composite buffer is not flattened: each view is a window of
    // one component, or a small copy when the window straddles components.
    int len = Math.min(end - from, 1 << 16);
    return in.nioBuffer(from, len);
  }

  private PushTooLargeException tooLarge(String format) {
    return new PushTooLargeException(
        "push body too large: " + format + " body decompresses to more than the limit of " + maxBytes + " bytes");
  }
}
