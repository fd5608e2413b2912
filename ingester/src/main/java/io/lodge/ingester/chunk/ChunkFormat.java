package io.lodge.ingester.chunk;

import java.util.zip.CRC32C;

/** Constants and limits shared by the block and chunk codecs (the layouts are drawn in their Javadoc). */
final class ChunkFormat {
  /** "LDGC" as written (little-endian int of the bytes 'L' 'D' 'G' 'C'). */
  static final int CHUNK_MAGIC = 'L' | 'D' << 8 | 'G' << 16 | 'C' << 24;
  static final int CHUNK_VERSION_1 = 1;
  static final int BLOCK_VERSION_1 = 1;

  /** Hard limits a reader enforces before allocating, so a crafted header cannot cause an OOM. */
  static final int MAX_BLOCK_ENTRIES = 1 << 22;
  static final int MAX_COLUMN_BYTES = 1 << 28;
  static final int MAX_TENANT_BYTES = 1 << 10;
  static final int MAX_LABELS_BYTES = 1 << 20;
  static final int MAX_LABELS = 1 << 12;
  static final int MAX_METADATA_STRING_BYTES = 1 << 24;

  /** Footer: i64 index offset, u32 CRC32C of every byte before it, u32 magic. */
  static final int FOOTER_BYTES = 16;

  private ChunkFormat() {}

  static int crc32c(byte[] b, int off, int len) {
    CRC32C c = new CRC32C();
    c.update(b, off, len);
    return (int) c.getValue();
  }

  static int intLE(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
  }

  static void putIntLE(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
  }

  static long longLE(byte[] b, int at) {
    return (intLE(b, at) & 0xFFFFFFFFL) | (long) intLE(b, at + 4) << 32;
  }

  static String hex(int v) {
    return "0x" + Integer.toHexString(v);
  }
}
