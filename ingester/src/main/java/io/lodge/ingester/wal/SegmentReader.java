package io.lodge.ingester.wal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Reads and verifies frames of one segment file for {@link WalReplay} through a 1 MiB window, so
 * replay needs neither the whole file in memory nor a syscall per frame. Never allocates more than a
 * frame's verified length, and verifies the length against the bytes left before allocating.
 */
final class SegmentReader {
  private static final int WINDOW = 1 << 20;

  private final FileChannel channel;
  private final byte[] window = new byte[WINDOW];
  private long windowStart;
  private int windowLength;
  private final CRC32C crc = new CRC32C();
  private String problem;

  SegmentReader(FileChannel channel) {
    this.channel = channel;
  }

  /** What the last failed {@link #check} found wrong. */
  String problem() {
    return problem;
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
      problem = "incomplete frame header: " + left + " of " + WalFormat.FRAME_HEADER_SIZE + " bytes";
      return -1;
    }
    ensure(pos, WalFormat.FRAME_HEADER_SIZE);
    int at = (int) (pos - windowStart);
    long length = readInt(at) & 0xFFFFFFFFL;
    int stored = readInt(at + 4);
    if (length > WalFormat.MAX_RECORD_BYTES) {
      problem = "frame length " + length + " exceeds the maximum record size " + WalFormat.MAX_RECORD_BYTES;
      return -1;
    }
    if (length > left - WalFormat.FRAME_HEADER_SIZE) {
      problem = "incomplete frame: length " + length + " but " + (left - WalFormat.FRAME_HEADER_SIZE)
          + " payload bytes left";
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
      problem = String.format("frame checksum mismatch: stored 0x%08x, computed 0x%08x (length %d)", stored, computed, length);
      return -1;
    }
    return (int) length;
  }

  /** The payload of a frame {@link #check} verified. */
  byte[] payload(long pos, int length) throws IOException {
    byte[] out = new byte[length];
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

  /** The offset of the first verifiable frame in {@code [from, limit)}, or -1 when there is none. */
  long findNextFrame(long from, long limit) throws IOException {
    for (long p = from; p + WalFormat.FRAME_HEADER_SIZE <= limit; p++) {
      if (check(p, limit) >= 0) return p;
    }
    return -1;
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
