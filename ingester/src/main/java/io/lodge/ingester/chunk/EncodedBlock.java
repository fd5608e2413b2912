package io.lodge.ingester.chunk;

import java.util.Objects;

/**
 * One encoded block, ready to be concatenated into a chunk: its bytes (exactly the block, layout in
 * {@link BlockHeader}) and its parsed header. The array is owned by this record; never mutate it.
 */
public record EncodedBlock(byte[] bytes, BlockHeader header) {
  public EncodedBlock {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(header, "header");
    if (header.length() != bytes.length) {
      throw new IllegalArgumentException("header length " + header.length() + " != " + bytes.length + " bytes");
    }
  }

  /** Parses and checksums a block read back from elsewhere (e.g. a head snapshot). */
  public static EncodedBlock parse(byte[] bytes, String keyForErrors) {
    return new EncodedBlock(bytes, BlockReader.open(bytes, 0, bytes.length, keyForErrors).header());
  }

  /** A reader over this block (no checksum pass: the bytes came from the encoder). */
  public BlockReader reader() {
    return BlockReader.trusted(bytes, 0, header, 0, null, LineDictionaries.NONE, null);
  }

  /** A reader over this block that finds its lines dictionary, if it has one, in {@code dictionaries}. */
  public BlockReader reader(LineDictionaries dictionaries, String tenant) {
    return BlockReader.trusted(bytes, 0, header, 0, null, dictionaries, tenant);
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

  public long rawBytes() {
    return header.rawBytes();
  }
}
