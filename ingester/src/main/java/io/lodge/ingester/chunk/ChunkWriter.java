package io.lodge.ingester.chunk;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.util.List;
import java.util.Objects;

/**
 * Writes a chunk: the already-encoded blocks of one stream, concatenated (never recompressed) between a
 * header and a block index. Layout, version 1, little-endian:
 *
 * <pre>
 * u32     magic "LDGC"
 * u8      format version = 1
 * string  tenant                          (string = varint byte length + UTF-8)
 * string  canonical labels {a="1", b="2"}
 * varint  label count, then per label: string name, string value (sorted by name)
 * i64     min timestamp, i64 max timestamp (Unix ns, over all blocks)
 * varint  entry count, varint raw bytes (sums over blocks)
 * blocks  back to back (layout in {@link BlockHeader}), in non-decreasing min timestamp order
 * index   varint block count, then per block: varint offset, varint length, i64 min ts, i64 max ts,
 *         varint entries, varint raw bytes
 * footer  i64 index offset, u32 CRC32C of every byte before this field, u32 magic "LDGC"
 * </pre>
 *
 * The footer CRC covers the whole chunk, so readers verify once and then trust the blocks; each block
 * also carries its own CRC for when it travels alone. A reader dispatches on the version byte, so later
 * formats stay readable.
 */
public final class ChunkWriter {
  private ChunkWriter() {}

  /**
   * Builds the chunk bytes.
   *
   * @throws IllegalArgumentException if there are no blocks or their min timestamps decrease
   */
  public static byte[] write(String tenant, LabelSet labels, List<EncodedBlock> blocks) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(labels, "labels");
    if (blocks.isEmpty()) throw new IllegalArgumentException("a chunk needs at least one block");
    long minTs = Long.MAX_VALUE, maxTs = Long.MIN_VALUE, entries = 0, raw = 0, blockBytes = 0;
    long prevMin = Long.MIN_VALUE;
    for (EncodedBlock b : blocks) {
      if (b.minTimestamp() < prevMin) {
        throw new IllegalArgumentException("block min timestamp " + b.minTimestamp() + " before the previous block's " + prevMin);
      }
      prevMin = b.minTimestamp();
      minTs = Math.min(minTs, b.minTimestamp());
      maxTs = Math.max(maxTs, b.maxTimestamp());
      entries += b.entryCount();
      raw += b.rawBytes();
      blockBytes += b.bytes().length;
    }
    ByteSink head = new ByteSink(256);
    head.writeIntLE(ChunkFormat.CHUNK_MAGIC);
    head.writeByte(ChunkFormat.CHUNK_VERSION_1);
    head.writeString(tenant);
    head.writeString(labels.canonical());
    head.writeVarInt(labels.size());
    for (Label l : labels.labels()) {
      head.writeString(l.name());
      head.writeString(l.value());
    }
    head.writeLongLE(minTs);
    head.writeLongLE(maxTs);
    head.writeVarLong(entries);
    head.writeVarLong(raw);

    ByteSink index = new ByteSink(16 + 32 * blocks.size());
    index.writeVarInt(blocks.size());
    long offset = head.size();
    for (EncodedBlock b : blocks) {
      index.writeVarLong(offset);
      index.writeVarInt(b.bytes().length);
      index.writeLongLE(b.minTimestamp());
      index.writeLongLE(b.maxTimestamp());
      index.writeVarInt(b.entryCount());
      index.writeVarLong(b.rawBytes());
      offset += b.bytes().length;
    }
    long total = head.size() + blockBytes + index.size() + ChunkFormat.FOOTER_BYTES;
    if (total > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("chunk of " + total + " bytes is too big");
    byte[] out = new byte[(int) total];
    System.arraycopy(head.array(), 0, out, 0, head.size());
    int p = head.size();
    for (EncodedBlock b : blocks) {
      System.arraycopy(b.bytes(), 0, out, p, b.bytes().length);
      p += b.bytes().length;
    }
    long indexOffset = p;
    System.arraycopy(index.array(), 0, out, p, index.size());
    p += index.size();
    for (int i = 0; i < 8; i++) out[p++] = (byte) (indexOffset >>> (8 * i));
    int crc = ChunkFormat.crc32c(out, 0, p);
    ChunkFormat.putIntLE(out, p, crc);
    ChunkFormat.putIntLE(out, p + 4, ChunkFormat.CHUNK_MAGIC);
    return out;
  }

  /** The checksum of a written chunk (the footer CRC32C), for its object key. */
  public static int checksum(byte[] chunk) {
    if (chunk.length < ChunkFormat.FOOTER_BYTES) throw new IllegalArgumentException("not a chunk: " + chunk.length + " bytes");
    return ChunkFormat.intLE(chunk, chunk.length - 8);
  }
}
