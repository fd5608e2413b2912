package io.lodge.ingester.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Constants and helpers of the WAL's on-disk format (segment names, segment header, record frame);
 * the layout is drawn in {@link WalWriter}'s Javadoc and in docs/STORAGE.md.
 */
final class WalFormat {
  /** "LWAL" big-endian: the first four bytes of every segment. */
  static final int MAGIC = 0x4C57414C;
  /** The only format version so far; a reader refuses any other. */
  static final int VERSION = 1;
  /** magic u32, version u32, segment id u64, previous segment length i64, header CRC32C u32. */
  static final int HEADER_SIZE = 28;
  /** length u32 + CRC32C u32. */
  static final int FRAME_HEADER_SIZE = 8;
  /**
   * Largest payload a frame may carry. Bounds what replay allocates for one record when a length
   * field is garbage, and what one append may ask for.
   */
  static final int MAX_RECORD_BYTES = 256 << 20;
  static final String SUFFIX = ".wal";
  private static final int ID_DIGITS = 20;

  private WalFormat() {}

  /** The file name of a segment: its id zero-padded to 20 digits, so names sort like ids. */
  static String fileName(long segmentId) {
    String s = Long.toString(segmentId);
    return "0".repeat(ID_DIGITS - s.length()) + s + SUFFIX;
  }

  static Path segmentPath(Path dir, long segmentId) {
    return dir.resolve(fileName(segmentId));
  }

  /** The segment id a file name stands for, or -1 when the name is not a segment's. */
  static long parseSegmentId(String fileName) {
    if (fileName.length() != ID_DIGITS + SUFFIX.length() || !fileName.endsWith(SUFFIX)) return -1;
    long id = 0;
    for (int i = 0; i < ID_DIGITS; i++) {
      char c = fileName.charAt(i);
      if (c < '0' || c > '9') return -1;
      id = id * 10 + (c - '0');
      if (id < 0) return -1;
    }
    return id;
  }

  /** The segment files in {@code dir} by id; other files are ignored; an absent dir has none. */
  static TreeMap<Long, Path> listSegments(Path dir) throws IOException {
    TreeMap<Long, Path> out = new TreeMap<>();
    if (!Files.isDirectory(dir)) return out;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path p : ds) {
        long id = parseSegmentId(p.getFileName().toString());
        if (id >= 0) out.put(id, p);
      }
    }
    return out;
  }

  /** The CRC32C a frame carries: over the 4 length bytes (big-endian) and then the payload. */
  static int frameCrc(byte[] payload, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(len >>> 24);
    crc.update(len >>> 16);
    crc.update(len >>> 8);
    crc.update(len);
    crc.update(payload, off, len);
    return (int) crc.getValue();
  }

  /** The header bytes of a new segment. */
  static ByteBuffer encodeHeader(long segmentId, long previousSegmentLength) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE);
    b.putInt(MAGIC).putInt(VERSION).putLong(segmentId).putLong(previousSegmentLength);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, HEADER_SIZE - 4);
    b.putInt((int) crc.getValue());
    return b.flip();
  }

  /**
   * Parses a segment header.
   *
   * @return the header, never null
   * @throws IllegalArgumentException with a message saying what was wrong (the caller adds the path)
   */
  static SegmentHeader decodeHeader(byte[] h, int available) {
    if (available < HEADER_SIZE) {
      throw new IllegalArgumentException("segment header incomplete: " + available + " of " + HEADER_SIZE + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(h, 0, HEADER_SIZE);
    int magic = b.getInt();
    int version = b.getInt();
    long id = b.getLong();
    long prev = b.getLong();
    int stored = b.getInt();
    CRC32C crc = new CRC32C();
    crc.update(h, 0, HEADER_SIZE - 4);
    if (magic != MAGIC) {
      throw new IllegalArgumentException(String.format("bad magic: expected 0x%08x, found 0x%08x", MAGIC, magic));
    }
    if ((int) crc.getValue() != stored) {
      throw new IllegalArgumentException(String.format("header checksum mismatch: stored 0x%08x, computed 0x%08x",
          stored, (int) crc.getValue()));
    }
    if (version != VERSION) {
      throw new IllegalArgumentException("unsupported format version " + version + " (this build reads " + VERSION + ")");
    }
    return new SegmentHeader(id, prev);
  }

  /**
   * A parsed segment header. {@code previousSegmentLength} is the valid length of segment id-1 when
   * this one was created: replay uses it to tell an unacknowledged tail left by a failed write in a
   * non-last segment from corruption of acknowledged data.
   */
  record SegmentHeader(long segmentId, long previousSegmentLength) {}
}
