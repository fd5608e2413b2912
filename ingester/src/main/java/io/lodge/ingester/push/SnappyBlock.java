package io.lodge.ingester.push;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyError;

/**
 * Snappy <em>block</em> (raw) format decompression of a protobuf push body (LOKI-COMPAT 1.3, step 2), with
 * the declared uncompressed length checked against the limit before anything is allocated.
 *
 * <pre>
 * block = uvarint(uncompressed length, at most 5 bytes, fits 32 bits) , elements (literals and copies)
 * </pre>
 *
 * The native decoder writes exactly the declared length, so the output buffer is sized from the header
 * this class parsed itself. Heap input decompresses array to array; direct and composite input is first
 * gathered into one heap array, so the result is always a heap buffer. The caller owns and releases it.
 */
final class SnappyBlock {
  /** Go's {@code snappy.ErrCorrupt} text, which Loki returns for any undecodable block. */
  static final String CORRUPT = "snappy: corrupt input";

  private final ByteBufAllocator alloc;
  private final long maxBytes;

  SnappyBlock(ByteBufAllocator alloc, long maxBytes) {
    this.alloc = alloc;
    this.maxBytes = maxBytes;
  }

  /**
   * The uncompressed length the block header declares, or -1 when the header is not a valid snappy length
   * (empty input, more than 5 bytes, above 2^32-1).
   */
  static long declaredLength(ByteBuf in) {
    int p = in.readerIndex();
    int end = in.writerIndex();
    long v = 0;
    for (int shift = 0; shift <= 28; shift += 7) {
      if (p == end) return -1;
      int b = in.getUnsignedByte(p++);
      v |= (long) (b & 0x7F) << shift;
      if (b < 0x80) return v <= 0xFFFFFFFFL ? v : -1;
    }
    return -1;
  }

  /** Number of bytes the length header occupies (only valid after {@link #declaredLength} succeeded). */
  private static int headerLength(ByteBuf in) {
    int n = 1;
    while ((in.getByte(in.readerIndex() + n - 1) & 0x80) != 0) n++;
    return n;
  }

  /** Decompresses {@code in}'s readable bytes into a new buffer of exactly the declared length. */
  ByteBuf uncompress(ByteBuf in) {
    long declared = declaredLength(in);
    if (declared < 0) throw new PushDecodeException(CORRUPT);
    if (declared > maxBytes || declared > Integer.MAX_VALUE - 16) {
      throw new PushTooLargeException("push body too large: snappy block declares " + declared
          + " uncompressed bytes, above the limit of " + maxBytes + " bytes");
    }
    int n = (int) declared;
    if (n == 0) {
      // Nothing may follow the header: any element would write past the declared length.
      if (headerLength(in) != in.readableBytes()) throw new PushDecodeException(CORRUPT);
      return alloc.heapBuffer(0);
    }
    int len = in.readableBytes();
    if (in.hasArray()) {
      ByteBuf out = alloc.heapBuffer(n);
      return run(out, () -> Snappy.uncompress(in.array(), in.arrayOffset() + in.readerIndex(), len,
          out.array(), out.arrayOffset()), n);
    }
    // Direct or composite input (Netty's HTTP bodies) is gathered into a heap array and decompressed
    // array to array: the protobuf parser reads a heap result in place, while a direct result had to be
    // copied whole into a byte[] by CodedInputStream (the largest allocation of a push). Gathering copies
    // only the compressed bytes, 2-3x fewer.
    ByteBuf gathered = alloc.heapBuffer(len);
    try {
      // component by component into the array (writeBytes from a composite merges it into a temporary first)
      in.getBytes(in.readerIndex(), gathered.array(), gathered.arrayOffset(), len);
      gathered.writerIndex(len);
      ByteBuf out = alloc.heapBuffer(n);
      return run(out, () -> Snappy.uncompress(gathered.array(), gathered.arrayOffset(), len,
          out.array(), out.arrayOffset()), n);
    } finally {
      gathered.release();
    }
  }

  private interface NativeCall {
    int call() throws IOException;
  }

  private static ByteBuf run(ByteBuf out, NativeCall call, int expected) {
    boolean ok = false;
    try {
      if (out.capacity() < expected) throw new IllegalStateException("output buffer smaller than requested");
      int written;
      try {
        written = call.call();
      } catch (IOException | SnappyError e) {
        // snappy-java reports every undecodable block as FAILED_TO_UNCOMPRESS; Loki says "corrupt input".
        throw new PushDecodeException(CORRUPT, e);
      }
      if (written != expected) throw new PushDecodeException(CORRUPT);
      out.writerIndex(expected);
      ok = true;
      return out;
    } finally {
      if (!ok) out.release();
    }
  }
}
