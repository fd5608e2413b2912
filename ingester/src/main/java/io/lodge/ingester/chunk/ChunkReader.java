package io.lodge.ingester.chunk;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Opens a chunk written by {@link ChunkWriter} (layout there): checks the footer and its CRC32C over the
 * whole chunk, parses the header and the block index, and hands out {@link BlockReader}s per block
 * without copying. Any inconsistency raises {@link ChunkFormatException} naming the key and offset.
 * Immutable once opened; share freely.
 */
public final class ChunkReader {
  private final byte[] bytes;
  private final String key;
  private final ChunkHeader header;
  private final List<BlockIndexEntry> blocks;
  private final LineDictionaries dictionaries;

  private ChunkReader(byte[] bytes, String key, ChunkHeader header, List<BlockIndexEntry> blocks,
      LineDictionaries dictionaries) {
    this.bytes = bytes;
    this.key = key;
    this.header = header;
    this.blocks = blocks;
    this.dictionaries = dictionaries;
  }

  /**
   * Verifies and opens a chunk.
   *
   * @param keyForErrors the object key, named in every error (null when unknown)
   */
  public static ChunkReader open(byte[] bytes, String keyForErrors) {
    return open(bytes, keyForErrors, LineDictionaries.NONE);
  }

  /** Verifies and opens a chunk whose blocks find their lines dictionaries, if any, in {@code dictionaries}. */
  public static ChunkReader open(byte[] bytes, String keyForErrors, LineDictionaries dictionaries) {
    String key = keyForErrors;
    int len = bytes.length;
    int f = len - ChunkFormat.FOOTER_BYTES;
    if (f < 5) throw new ChunkFormatException("chunk length", "at least " + (ChunkFormat.FOOTER_BYTES + 5) + " bytes", Integer.toString(len), 0, key);
    int magic = ChunkFormat.intLE(bytes, len - 4);
    if (magic != ChunkFormat.CHUNK_MAGIC) {
      throw new ChunkFormatException("footer magic", ChunkFormat.hex(ChunkFormat.CHUNK_MAGIC) + " (\"LDGC\")",
          ChunkFormat.hex(magic) + " (truncated or not a chunk)", len - 4, key);
    }
    int storedCrc = ChunkFormat.intLE(bytes, len - 8);
    int crc = ChunkFormat.crc32c(bytes, 0, len - 8);
    if (crc != storedCrc) {
      throw new ChunkFormatException("chunk checksum", "CRC32C " + ChunkFormat.hex(storedCrc), ChunkFormat.hex(crc), len - 8, key);
    }
    ByteSource src = new ByteSource(bytes, 0, f, 0, key);
    int headMagic = src.readIntLE("header magic");
    if (headMagic != ChunkFormat.CHUNK_MAGIC) throw new ChunkFormatException("header magic", ChunkFormat.hex(ChunkFormat.CHUNK_MAGIC), ChunkFormat.hex(headMagic), 0, key);
    int version = src.readByte("format version");
    return switch (version) {
      case ChunkFormat.CHUNK_VERSION_1 -> openV1(bytes, key, src, storedCrc, dictionaries);
      default -> throw new ChunkFormatException("format version", "1", Integer.toString(version), 4, key);
    };
  }

  private static ChunkReader openV1(byte[] bytes, String key, ByteSource src, int checksum,
      LineDictionaries dictionaries) {
    int len = bytes.length;
    String tenant = src.readString("tenant", ChunkFormat.MAX_TENANT_BYTES);
    long labelsAt = src.offset();
    String canonical = src.readString("canonical labels", ChunkFormat.MAX_LABELS_BYTES);
    int nLabels = src.readVarInt("label count", 0, ChunkFormat.MAX_LABELS);
    List<Label> labels = new ArrayList<>(nLabels);
    for (int i = 0; i < nLabels; i++) {
      String name = src.readString("label name", ChunkFormat.MAX_LABELS_BYTES);
      labels.add(new Label(name, src.readString("label value", ChunkFormat.MAX_LABELS_BYTES)));
    }
    LabelSet labelSet = LabelSet.of(labels);
    if (!labelSet.canonical().equals(canonical)) {
      throw new ChunkFormatException("labels", "pairs matching " + canonical, labelSet.canonical(), labelsAt, key);
    }
    long minTs = src.readLongLE("chunk min timestamp");
    long maxTs = src.readLongLE("chunk max timestamp");
    long entries = src.readVarLong("chunk entry count");
    long raw = src.readVarLong("chunk raw bytes");
    int headerEnd = src.position();

    long indexOffset = ChunkFormat.longLE(bytes, len - 16);
    int f = len - ChunkFormat.FOOTER_BYTES;
    if (indexOffset < headerEnd || indexOffset >= f) {
      throw new ChunkFormatException("index offset", "in [" + headerEnd + ", " + f + ")", Long.toString(indexOffset), f, key);
    }
    ByteSource idx = new ByteSource(bytes, (int) indexOffset, f, indexOffset, key);
    int count = idx.readVarInt("block count", 1, idx.remaining() / 20);
    BlockIndexEntry[] es = new BlockIndexEntry[count];
    long expectOffset = headerEnd, sumEntries = 0, sumRaw = 0, lo = Long.MAX_VALUE, hi = Long.MIN_VALUE, prevMin = Long.MIN_VALUE;
    for (int i = 0; i < count; i++) {
      long at = idx.offset();
      long off = idx.readVarLong("block offset");
      if (off != expectOffset) throw new ChunkFormatException("block " + i + " offset", Long.toString(expectOffset), Long.toString(off), at, key);
      int blen = idx.readVarInt("block " + i + " length", 4, (int) (indexOffset - off));
      long bmin = idx.readLongLE("block " + i + " min timestamp");
      long bmax = idx.readLongLE("block " + i + " max timestamp");
      if (bmin > bmax || bmin < prevMin) {
        throw idx.error("block " + i + " time bounds", "min <= max and min >= previous min " + prevMin, bmin + ".." + bmax);
      }
      int n = idx.readVarInt("block " + i + " entry count", 1, ChunkFormat.MAX_BLOCK_ENTRIES);
      long braw = idx.readVarLong("block " + i + " raw bytes");
      es[i] = new BlockIndexEntry(off, blen, bmin, bmax, n, braw);
      expectOffset = off + blen;
      prevMin = bmin;
      sumEntries += n;
      sumRaw += braw;
      lo = Math.min(lo, bmin);
      hi = Math.max(hi, bmax);
    }
    idx.expectEnd("block index");
    if (expectOffset != indexOffset) {
      throw new ChunkFormatException("end of blocks", "the index offset " + indexOffset, Long.toString(expectOffset), indexOffset, key);
    }
    if (sumEntries != entries || sumRaw != raw || lo != minTs || hi != maxTs) {
      throw new ChunkFormatException("chunk totals", "entries " + sumEntries + ", raw " + sumRaw + ", time " + lo + ".." + hi
          + " (from the index)", "entries " + entries + ", raw " + raw + ", time " + minTs + ".." + maxTs, 0, key);
    }
    ChunkHeader h = new ChunkHeader(ChunkFormat.CHUNK_VERSION_1, tenant, labelSet, minTs, maxTs, entries, raw,
        count, checksum, len);
    return new ChunkReader(bytes, key, h, List.of(es), dictionaries);
  }

  public ChunkHeader header() {
    return header;
  }

  /** The block index, in chunk order. */
  public List<BlockIndexEntry> blocks() {
    return blocks;
  }

  public int blockCount() {
    return blocks.size();
  }

  /** The footer CRC32C (also the last part of the chunk's key). */
  public int checksum() {
    return header.checksum();
  }

  /** Indexes of the blocks that may hold entries in [from, to), in chunk order. */
  public int[] blocksOverlapping(long fromNanos, long toNanosExclusive) {
    int[] out = new int[blocks.size()];
    int n = 0;
    for (int i = 0; i < blocks.size(); i++) {
      BlockIndexEntry e = blocks.get(i);
      if (e.minTimestamp() >= toNanosExclusive) break; // blocks are in min-timestamp order
      if (e.overlaps(fromNanos, toNanosExclusive)) out[n++] = i;
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * A reader over block {@code i}: parses its header (no decompression, no second CRC pass since the
   * chunk CRC already covers it) and checks it against the index.
   */
  public BlockReader readBlock(int i) {
    BlockIndexEntry e = blocks.get(i);
    BlockHeader h = BlockHeader.read(bytes, (int) e.offset(), e.length(), e.offset(), key);
    if (h.entryCount() != e.entries() || h.minTimestamp() != e.minTimestamp() || h.maxTimestamp() != e.maxTimestamp()
        || h.rawBytes() != e.rawBytes()) {
      throw new ChunkFormatException("block " + i + " header", "entries " + e.entries() + ", time " + e.minTimestamp() + ".."
          + e.maxTimestamp() + ", raw " + e.rawBytes() + " (from the index)", "entries " + h.entryCount() + ", time "
          + h.minTimestamp() + ".." + h.maxTimestamp() + ", raw " + h.rawBytes(), e.offset(), key);
    }
    return BlockReader.trusted(bytes, (int) e.offset(), h, e.offset(), key, dictionaries, header.tenant());
  }
}
