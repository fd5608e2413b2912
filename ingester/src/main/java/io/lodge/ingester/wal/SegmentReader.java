package io.lodge.ingester.wal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Reads and verifies frames of one segment file for {@link WalReplay} through a 1 MiB window, so
 * replay needs neither the whole file in memory nor a syscall per frame. Never allocates more than a
 * frame's verified length, and verifies the length against the bytes left before allocating.
 */
final class SegmentReader {
  private static final int WINDOW = 1 << 20;
  private static final byte[] ZEROS = new byte[WINDOW];

  private final FileChannel channel;
  private final byte[] window = new byte[WINDOW];
  private long windowStart;
  private int windowLength;
  private final CRC32C crc = new CRC32C();
  /**
   * What the last failed {@link #check} found, kept as numbers and formatted only when asked for: a
   * search for the next frame checks every offset of a damaged tail, and formatting a message at each
   * made that search take ~0.7 us a byte (seconds for a tail of a few MB).
   */
  private Problem problem;
  private long problemLength;
  private long problemLeft;
  private int problemStored;
  private int problemComputed;

  private enum Problem { SHORT_HEADER, TOO_LONG, SHORT_PAYLOAD, CHECKSUM }

  SegmentReader(FileChannel channel) {
    this.channel = channel;
  }

  /** What the last failed {@link #check} found wrong. */
  String problem() {
    if (problem == null) return null;
    return switch (problem) {
      case SHORT_HEADER -> "incomplete frame header: " + problemLeft + " of " + WalFormat.FRAME_HEADER_SIZE + " bytes";
      case TOO_LONG -> "frame length " + problemLength + " exceeds the maximum record size " + WalFormat.MAX_RECORD_BYTES;
      case SHORT_PAYLOAD -> "incomplete frame: length " + problemLength + " but " + problemLeft + " payload bytes left";
      case CHECKSUM -> String.format("frame checksum mismatch: stored 0x%08x, computed 0x%08x (length %d)",
          problemStored, problemComputed, problemLength);
    };
  }

  /** Reads the first {@code n} bytes of the file (the header) into {@code dst}; returns how many there were. */
  int readHead(byte[] dst) throws IOException {
    long size = channel.size();
    int n = (int) Math.min(dst.length, size);
    ensure(0, n);
    System.arraycopy(window, 0, dst, 0, n);
    return n;
  }

  /**
   * Verifies the frame at {@code pos}, which must end at or before {@code limit}.
   *
   * @return the payload length, or -1 with {@link #problem()} set
   */
  int check(long pos, long limit) throws IOException {
    long left = limit - pos;
    if (left < WalFormat.FRAME_HEADER_SIZE) {
      problem = Problem.SHORT_HEADER;
      problemLeft = left;
      return -1;
    }
    ensure(pos, WalFormat.FRAME_HEADER_SIZE);
    int at = (int) (pos - windowStart);
    long length = readInt(at) & 0xFFFFFFFFL;
    int stored = readInt(at + 4);
    problemLength = length;
    if (length > WalFormat.MAX_RECORD_BYTES) {
      problem = Problem.TOO_LONG;
      return -1;
    }
    if (length > left - WalFormat.FRAME_HEADER_SIZE) {
      problem = Problem.SHORT_PAYLOAD;
      problemLeft = left - WalFormat.FRAME_HEADER_SIZE;
      return -1;
    }
    crc.reset();
    crc.update(window, at, 4);
    long p = pos + WalFormat.FRAME_HEADER_SIZE;
    long end = p + length;
    while (p < end) {
      int n = (int) Math.min(end - p, WINDOW);
      ensure(p, n);
      crc.update(window, (int) (p - windowStart), n);
      p += n;
    }
    int computed = (int) crc.getValue();
    if (computed != stored) {
      problem = Problem.CHECKSUM;
      problemStored = stored;
      problemComputed = computed;
      return -1;
    }
    return (int) length;
  }

  /** Reads the payload of a frame {@link #check} verified into the start of {@code out}; returns {@code out}. */
  byte[] payload(long pos, int length, byte[] out) throws IOException {
    Objects.checkFromIndexSize(0, length, out.length);
    long p = pos + WalFormat.FRAME_HEADER_SIZE;
    int off = 0;
    while (off < length) {
      int n = Math.min(length - off, WINDOW);
      ensure(p + off, n);
      System.arraycopy(window, (int) (p + off - windowStart), out, off, n);
      off += n;
    }
    return out;
  }

  /**
   * The offset of the first verifiable frame in {@code [from, limit)}, or -1 when there is none. A frame
   * header of eight zero bytes never verifies (the CRC32C of a zero length is not zero), so a run of
   * zeros (space the file system zero-filled, or that a crash left unwritten) is skipped whole.
   */
  long findNextFrame(long from, long limit) throws IOException {
    long p = from;
    while (p + WalFormat.FRAME_HEADER_SIZE <= limit) {
      long nonZero = firstNonZero(p, p + WalFormat.FRAME_HEADER_SIZE);
      if (nonZero == p + WalFormat.FRAME_HEADER_SIZE) {
        // Only a header that reaches the next non-zero byte can verify.
        p = Math.max(p + 1, firstNonZero(p, limit) - (WalFormat.FRAME_HEADER_SIZE - 1));
        continue;
      }
      if (check(p, limit) >= 0) return p;
      p++;
    }
    return -1;
  }

  /** The offset of the first byte in {@code [from, limit)} that is not zero, or {@code limit}. */
  long firstNonZero(long from, long limit) throws IOException {
    long p = from;
    while (p < limit) {
      // What the window already holds first: a short run needs no read of its own.
      if (p < windowStart || p >= windowStart + windowLength) ensure(p, (int) Math.min(limit - p, WINDOW));
      int at = (int) (p - windowStart);
      int n = (int) Math.min(limit - p, windowLength - at);
      int i = Arrays.mismatch(window, at, at + n, ZEROS, 0, n);
      if (i >= 0) return p + i;
      p += n;
    }
    return limit;
  }

  private int readInt(int at) {
    return ((window[at] & 0xFF) << 24) | ((window[at + 1] & 0xFF) << 16) | ((window[at + 2] & 0xFF) << 8)
        | (window[at + 3] & 0xFF);
  }

  /** Makes the window hold {@code [pos, pos + n)}; n is at most the window size and within the file. */
  private void ensure(long pos, int n) throws IOException {
    if (pos >= windowStart && pos + n <= windowStart + windowLength) return;
    ByteBuffer b = ByteBuffer.wrap(window);
    long size = channel.size();
    b.limit((int) Math.min(WINDOW, size - pos));
    while (b.hasRemaining()) {
      int r = channel.read(b, pos + b.position());
      if (r < 0) break;
    }
    windowStart = pos;
    windowLength = b.position();
    if (windowLength < n) {
      throw new EOFException("segment ended at " + (pos + windowLength) + ", expected " + n + " bytes at " + pos);
    }
  }
}
