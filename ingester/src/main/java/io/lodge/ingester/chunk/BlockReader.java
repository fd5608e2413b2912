package io.lodge.ingester.chunk;

import io.lodge.ingester.model.Label;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one block in place: its header and token filter without decompressing anything, then on demand
 * only the timestamp column ({@link #readTimestamps}) or every column ({@link #readEntries}) into a
 * caller-owned {@link DecodedBlock}. Decoding checks every length and count, so corrupt data raises
 * {@link ChunkFormatException}, never another exception. Its only mutable state is the metadata
 * dictionary, decoded once and then kept (immutable); share freely. A lines column compressed with a
 * {@link LineDictionary} is decoded with the one its {@link LineDictionaries} finds for the block's tenant.
 */
public final class BlockReader {
  private final byte[] buf;
  private final int off;
  private final BlockHeader header;
  private final long base;
  private final String key;
  private final LineDictionaries dictionaries;
  private final String tenant;
  private volatile List<Label> dictionary; // the metadata dictionary once decoded (immutable)

  private BlockReader(byte[] buf, int off, BlockHeader header, long base, String key, LineDictionaries dictionaries,
      String tenant) {
    this.buf = buf;
    this.off = off;
    this.header = header;
    this.base = base;
    this.key = key;
    this.dictionaries = dictionaries;
    this.tenant = tenant;
  }

  /** Opens the block in {@code buf[off, off+len)}, checking its CRC32C first; it may not use a dictionary. */
  public static BlockReader open(byte[] buf, int off, int len, String keyForErrors) {
    return open(buf, off, len, keyForErrors, LineDictionaries.NONE, null);
  }

  /**
   * Opens the block in {@code buf[off, off+len)}, checking its CRC32C first.
   *
   * @param dictionaries where a lines column compressed with a dictionary finds it
   * @param tenant the tenant the block belongs to (dictionaries are per tenant)
   */
  public static BlockReader open(byte[] buf, int off, int len, String keyForErrors, LineDictionaries dictionaries,
      String tenant) {
    java.util.Objects.checkFromIndexSize(off, len, buf.length);
    if (len < 4) throw new ChunkFormatException("block length", "at least 4 bytes", Integer.toString(len), 0, keyForErrors);
    int stored = ChunkFormat.intLE(buf, off + len - 4);
    int actual = ChunkFormat.crc32c(buf, off, len - 4);
    if (stored != actual) {
      throw new ChunkFormatException("block checksum", ChunkFormat.hex(stored), ChunkFormat.hex(actual), len - 4, keyForErrors);
    }
    return new BlockReader(buf, off, BlockHeader.read(buf, off, len, 0, keyForErrors), 0, keyForErrors,
        dictionaries, tenant);
  }

  /**
   * Opens the block in {@code buf[off, off+len)} without checking its CRC: for bytes whose integrity was
   * already checked (a chunk whose CRC {@link ChunkReader#open} verified, or a block our own encoder
   * made in memory). The header is still range-checked, and decoding still checks every length.
   */
  public static BlockReader openTrusted(byte[] buf, int off, int len, String keyForErrors) {
    return openTrusted(buf, off, len, keyForErrors, LineDictionaries.NONE, null);
  }

  /** {@link #openTrusted(byte[], int, int, String)} for a block of {@code tenant} that may use a dictionary. */
  public static BlockReader openTrusted(byte[] buf, int off, int len, String keyForErrors,
      LineDictionaries dictionaries, String tenant) {
    java.util.Objects.checkFromIndexSize(off, len, buf.length);
    return new BlockReader(buf, off, BlockHeader.read(buf, off, len, 0, keyForErrors), 0, keyForErrors,
        dictionaries, tenant);
  }

  /** A reader over bytes whose integrity was already checked (a chunk's CRC, or our own encoder). */
  static BlockReader trusted(byte[] buf, int off, BlockHeader header, long base, String key,
      LineDictionaries dictionaries, String tenant) {
    return new BlockReader(buf, off, header, base, key, dictionaries, tenant);
  }

  public BlockHeader header() {
    return header;
  }

  public int entryCount() {
    return header.entryCount();
  }

  public long minTimestamp() {
    return header.minTimestamp();
  }

  public long maxTimestamp() {
    return header.maxTimestamp();
  }

  /** See {@link TokenFilter#mightContainToken}. */
  public boolean mightContainToken(byte[] token) {
    return header.filter().mightContainToken(token);
  }

  /** See {@link TokenFilter#mightContainLiteral}. */
  public boolean mightContainLiteral(byte[] literal) {
    return header.filter().mightContainLiteral(literal);
  }

  /** See {@link TokenFilter#mightContainLiteralIgnoreCase}. */
  public boolean mightContainLiteralIgnoreCase(byte[] literal) {
    return header.filter().mightContainLiteralIgnoreCase(literal);
  }

  /** Decodes only the timestamp column into {@code into} (lines and metadata are not touched). */
  public DecodedBlock readTimestamps(DecodedBlock into) {
    reset(into);
    decodeTimestamps(into);
    into.size = header.entryCount();
    return into;
  }

  /**
   * Decodes the timestamps and the line lengths, and the lines and the metadata when asked: a reader
   * that only counts entries or bytes ({@code count_over_time}, {@code bytes_over_time}) leaves the line
   * column, by far the biggest, compressed. {@code lines && metadata} is {@link #readEntries}.
   */
  public DecodedBlock readColumns(DecodedBlock into, boolean lines, boolean metadata) {
    if (lines && metadata) return readEntries(into);
    reset(into);
    decodeTimestamps(into);
    int n = header.entryCount();
    decodeLengths(into, n);
    into.hasLengths = true;
    if (lines) {
      decodeLineBytes(into);
      into.hasLines = true;
    }
    if (metadata) {
      decodeMetadata(into, n);
      into.hasMetadata = true;
    }
    into.size = n;
    return into;
  }

  /** Decodes every column into {@code into}. */
  public DecodedBlock readEntries(DecodedBlock into) {
    reset(into);
    decodeTimestamps(into);
    int n = header.entryCount();
    decodeLengths(into, n);
    decodeLineBytes(into);
    long metaBytes = decodeMetadata(into, n);
    long expectRaw = (long) header.lines().rawLength() + metaBytes;
    if (expectRaw != header.rawBytes()) {
      throw new ChunkFormatException("block raw bytes", Long.toString(expectRaw), Long.toString(header.rawBytes()), base, key);
    }
    into.size = n;
    into.hasEntries = true;
    into.hasLengths = true;
    into.hasLines = true;
    into.hasMetadata = true;
    return into;
  }

  private byte[] column(BlockHeader.Column col, byte[] dst, int dstOff) {
    if (col.codec() == ColumnCodec.ZSTD_DICT_ID) {
      LineDictionary d = dictionaries.find(tenant, col.dictionary());
      if (d == null) {
        throw new ChunkFormatException("column dictionary", "dictionary " + LineDictionary.hex(col.dictionary())
            + (tenant == null ? "" : " of tenant " + tenant), "none found (its object is missing from the store)",
            base + col.offset(), key);
      }
      if (d.id() != col.dictionary()) {
        // a lookup handing out another dictionary must not decode: a raw-content dictionary carries no
        // id inside its frames, so zstd would turn the column into other, wrong lines without an error
        throw new ChunkFormatException("column dictionary", "dictionary " + LineDictionary.hex(col.dictionary()),
            "dictionary " + d.hexId() + " from the lookup", base + col.offset(), key);
      }
      ZstdColumnCodec.decode(buf, off + col.offset(), col.storedLength(), dst, dstOff, col.rawLength(), d,
          base + col.offset(), key);
      return dst;
    }
    ColumnCodec codec = ColumnCodec.byId(col.codec(), base + col.offset(), key);
    codec.decode(buf, off + col.offset(), col.storedLength(), dst, dstOff, col.rawLength(), base + col.offset(), key);
    return dst;
  }

  /**
   * Decodes only the line lengths and the line bytes, not the timestamps: for a search that usually
   * finds nothing in a block, whose timestamps and metadata are then never needed. {@link
   * #addTimestamps} completes the same {@code DecodedBlock} when a line matched.
   */
  public DecodedBlock readLines(DecodedBlock into) {
    reset(into);
    int n = header.entryCount();
    decodeLengths(into, n);
    decodeLineBytes(into);
    into.hasLengths = true;
    into.hasLines = true;
    into.size = n;
    return into;
  }

  /** Adds the timestamps, and the metadata when asked, to a block {@link #readLines} filled from this block. */
  public DecodedBlock addTimestamps(DecodedBlock into, boolean metadata) {
    if (!into.hasLines || into.size != header.entryCount()) {
      throw new IllegalStateException("addTimestamps needs the lines of this block decoded by readLines");
    }
    decodeTimestamps(into);
    if (metadata) {
      decodeMetadata(into, header.entryCount());
      into.hasMetadata = true;
    }
    return into;
  }

  /**
   * Adds the line lengths to a block decoded without them ({@link #readTimestamps}): a reader that
   * counts whole blocks takes their line bytes from the header and decodes lengths only for the blocks
   * it cuts. No-op when they are there.
   */
  public DecodedBlock addLengths(DecodedBlock into) {
    requireSameBlock(into);
    if (!into.hasLengths) {
      decodeLengths(into, header.entryCount());
      into.hasLengths = true;
    }
    return into;
  }

  /** Adds the line bytes (and the lengths if missing) to a block decoded without them. No-op when there. */
  public DecodedBlock addLines(DecodedBlock into) {
    addLengths(into);
    if (!into.hasLines) {
      decodeLineBytes(into);
      into.hasLines = true;
    }
    return into;
  }

  /** Adds the structured metadata to a block decoded without it. No-op when it is there. */
  public DecodedBlock addMetadata(DecodedBlock into) {
    requireSameBlock(into);
    if (!into.hasMetadata) {
      decodeMetadata(into, header.entryCount());
      into.hasMetadata = true;
    }
    return into;
  }

  /** Whether no entry of the block has structured metadata (the column is empty: nothing to decode). */
  public boolean withoutMetadata() {
    return header.metadata().rawLength() == 0;
  }

  /**
   * Makes {@code into} this block's, with no column decoded yet: {@link #addTimestampColumn},
   * {@link #addLengths}, {@link #addLines}, {@link #addMetadata} then decode what the caller needs, in any
   * order (a count of a block that lies within one step decodes nothing at all).
   */
  public DecodedBlock start(DecodedBlock into) {
    reset(into);
    into.size = header.entryCount();
    return into;
  }

  /** Adds the timestamps to a block {@link #start started} (or read) from this block. No-op when there. */
  public DecodedBlock addTimestampColumn(DecodedBlock into) {
    requireSameBlock(into);
    if (!into.hasTimestamps) decodeTimestamps(into);
    return into;
  }

  /**
   * Every distinct metadata pair of the block (its dictionary, in stored order; empty when no entry has
   * metadata): what any entry's metadata is made of. Decoded once, with {@code scratch}'s buffer, then
   * kept: a block's bytes never change, and a count asks it of every block it reads.
   */
  public List<Label> metadataDictionary(DecodedBlock scratch) {
    List<Label> d = dictionary;
    if (d != null) return d;
    BlockHeader.Column col = header.metadata();
    if (col.rawLength() == 0) {
      d = List.of();
    } else {
      // decompressed into the scratch buffer, which no decoded column of scratch points into
      byte[] raw = column(col, scratch.scratch(col.rawLength()), 0);
      ByteSource src = new ByteSource(raw, 0, col.rawLength(), base + col.offset(), key);
      int dictSize = src.readVarInt("metadata dictionary size", 1, col.rawLength() / 2);
      Label[] labels = new Label[dictSize];
      for (int i = 0; i < dictSize; i++) labels[i] = readPair(src, raw);
      d = List.of(labels);
    }
    dictionary = d;
    return d;
  }

  private void reset(DecodedBlock into) {
    into.clear();
    into.owner = this;
  }

  private void requireSameBlock(DecodedBlock into) {
    if (into.owner != this || into.size != header.entryCount()) {
      throw new IllegalStateException("adding columns needs a DecodedBlock started or read from this block");
    }
  }

  private void decodeTimestamps(DecodedBlock into) {
    BlockHeader.Column col = header.timestamps();
    int n = header.entryCount();
    byte[] raw = column(col, into.scratch(col.rawLength()), 0);
    into.ensure(n);
    long[] ts = into.timestamps;
    TimestampColumn.decode(raw, col.rawLength(), n, header.minTimestamp(), header.maxTimestamp(), ts,
        base + col.offset(), key);
    into.hasTimestamps = true;
  }

  private void decodeLengths(DecodedBlock into, int n) {
    BlockHeader.Column lens = header.lengths();
    byte[] raw = column(lens, into.scratch(lens.rawLength()), 0);
    if (into.lineOffsets.length < n + 1) into.lineOffsets = new int[Math.max(n + 1, into.lineOffsets.length * 3 / 2)];
    int[] offs = into.lineOffsets;
    ByteSource src = new ByteSource(raw, 0, lens.rawLength(), base + lens.offset(), key);
    int total = header.lines().rawLength();
    long p = 0;
    offs[0] = 0;
    for (int i = 0; i < n; i++) {
      p += src.readVarInt("line length (decompressed column)", 0, total);
      if (p > total) throw src.error("line lengths", "a sum of at most " + total, Long.toString(p));
      offs[i + 1] = (int) p;
    }
    src.expectEnd("line lengths column");
    if (p != total) throw src.error("line lengths", "a sum of " + total, Long.toString(p));
  }

  private void decodeLineBytes(DecodedBlock into) {
    int total = header.lines().rawLength();
    BlockHeader.Column lines = header.lines();
    if (into.lineBytes.length < total) into.lineBytes = new byte[Math.max(total, into.lineBytes.length * 3 / 2)];
    column(lines, into.lineBytes, 0);
  }

  /** Returns the metadata name and value bytes summed over entries (part of the raw size). */
  private long decodeMetadata(DecodedBlock into, int n) {
    if (into.metadataStart.length < n + 1) into.metadataStart = new int[Math.max(n + 1, into.metadataStart.length * 3 / 2)];
    int[] start = into.metadataStart;
    BlockHeader.Column col = header.metadata();
    if (col.rawLength() == 0) {
      Arrays.fill(start, 0, n + 1, 0);
      into.dictSize = 0;
      return 0;
    }
    byte[] raw = column(col, into.scratch(col.rawLength()), 0);
    ByteSource src = new ByteSource(raw, 0, col.rawLength(), base + col.offset(), key);
    int dictSize = src.readVarInt("metadata dictionary size", 1, col.rawLength() / 2);
    if (into.dict.length < dictSize) into.dict = new Label[Math.max(dictSize, into.dict.length * 3 / 2)];
    int[] pairBytes = new int[dictSize];
    for (int d = 0; d < dictSize; d++) {
      int nameLen = src.readVarInt("metadata name length", 0, ChunkFormat.MAX_METADATA_STRING_BYTES);
      int np = src.skip("metadata name", nameLen);
      int valueLen = src.readVarInt("metadata value length", 0, ChunkFormat.MAX_METADATA_STRING_BYTES);
      int vp = src.skip("metadata value", valueLen);
      into.dict[d] = new Label(new String(raw, np, nameLen, StandardCharsets.UTF_8),
          new String(raw, vp, valueLen, StandardCharsets.UTF_8));
      pairBytes[d] = nameLen + valueLen;
    }
    into.dictSize = dictSize;
    int refs = 0;
    long bytes = 0;
    int[] refArr = into.metadataRefs;
    for (int i = 0; i < n; i++) {
      start[i] = refs;
      int c = src.readVarInt("metadata pair count", 0, src.remaining());
      if (refArr.length < refs + c) refArr = into.metadataRefs = Arrays.copyOf(refArr, Math.max(refs + c, refArr.length * 3 / 2 + 8));
      for (int j = 0; j < c; j++) {
        int r = src.readVarInt("metadata pair index", 0, dictSize - 1);
        refArr[refs++] = r;
        bytes += pairBytes[r];
      }
    }
    start[n] = refs;
    src.expectEnd("metadata column");
    return bytes;
  }

  private static Label readPair(ByteSource src, byte[] raw) {
    int nameLen = src.readVarInt("metadata name length", 0, ChunkFormat.MAX_METADATA_STRING_BYTES);
    int np = src.skip("metadata name", nameLen);
    int valueLen = src.readVarInt("metadata value length", 0, ChunkFormat.MAX_METADATA_STRING_BYTES);
    int vp = src.skip("metadata value", valueLen);
    return new Label(new String(raw, np, nameLen, StandardCharsets.UTF_8), new String(raw, vp, valueLen, StandardCharsets.UTF_8));
  }
}
