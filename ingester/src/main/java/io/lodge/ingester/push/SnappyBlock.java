package io.lodge.ingester.push;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.function.IntFunction;
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
 * gathered into one heap array, so the result is always a heap buffer. The caller releases it.
 *
 * <p>Both arrays are the calling thread's scratch, kept between pushes up to {@link #MAX_SCRATCH_BYTES}:
 * a fresh ~150 KB body per push was two thirds of all the bytes the server allocated at 1 M lines/s
 * (JFR allocation samples; Netty's allocator does not pool buffers that large), and in a small heap
 * the garbage cost a third of a core of GC. So a result is valid only until the same thread's next
 * {@code uncompress}: parse it, copying out what must outlive it, before decompressing another.
 */
final class SnappyBlock {
  /** Go's {@code snappy.ErrCorrupt} text, which Loki returns for any undecodable block. */
  static final String CORRUPT = "snappy: corrupt input";

  /** Scratch arrays larger than this are not kept after the push that needed them. */
  static final int MAX_SCRATCH_BYTES = 8 << 20;

  /** Per thread: [0] gathers compressed input that is not in one heap array, [1] receives the output. */
  private static final ThreadLocal<byte[][]> SCRATCH = ThreadLocal.withInitial(() -> new byte[][] {new byte[0], new byte[0]});

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

  /**
   * Decompresses {@code in}'s readable bytes into a buffer of exactly the declared length over the
   * thread's scratch array: valid until this thread's next {@code uncompress}.
   */
  ByteBuf uncompress(ByteBuf in) {
    return uncompress(in, n -> scratch(SCRATCH.get(), 1, n));
  }

  /**
   * Decompresses {@code in}'s readable bytes into an array of at least the declared length that
   * {@code output} gives (called once, with that length, after the length was checked against the limit):
   * the result wraps it, for a caller that keeps the bytes past this thread's next {@code uncompress}.
   */
  ByteBuf uncompress(ByteBuf in, IntFunction<byte[]> output) {
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
    ByteBuf out = Unpooled.wrappedBuffer(output.apply(n), 0, n).clear();
    if (in.hasArray()) {
      return run(out, () -> Snappy.uncompress(in.array(), in.arrayOffset() + in.readerIndex(), len, out.array(), out.arrayOffset()), n);
    }
    // Direct or composite input (Netty's HTTP bodies) is gathered into a heap array and decompressed
    // array to array: the protobuf parser reads a heap result in place, while a direct result had to be
    // copied whole into a byte[] by CodedInputStream (the largest allocation of a push). Gathering copies
    // only the compressed bytes, 2-3x fewer; component by component into the array (writeBytes from a
    // composite merges it into a temporary first).
    byte[] gathered = scratch(SCRATCH.get(), 0, len);
    in.getBytes(in.readerIndex(), gathered, 0, len);
    return run(out, () -> Snappy.uncompress(gathered, 0, len, out.array(), out.arrayOffset()), n);
  }

  /** The thread's scratch array {@code which} of at least {@code size} bytes; one past the cap is not kept. */
  private static byte[] scratch(byte[][] scratch, int which, int size) {
    byte[] a = scratch[which];
    if (a.length >= size) return a;
    a = new byte[Math.max(size, Math.min(MAX_SCRATCH_BYTES, a.length * 2))];
    if (a.length <= MAX_SCRATCH_BYTES) scratch[which] = a;
    return a;
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
