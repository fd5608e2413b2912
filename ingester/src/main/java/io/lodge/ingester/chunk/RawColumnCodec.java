package io.lodge.ingester.chunk;

/** Stores a column as is: used when compression would not make it smaller (tiny or random columns). */
final class RawColumnCodec implements ColumnCodec {
  static final RawColumnCodec INSTANCE = new RawColumnCodec();

  private RawColumnCodec() {}

  @Override
  public int id() {
    return RAW_ID;
  }

  @Override
  public void encode(byte[] src, int off, int len, ByteSink out) {
    out.writeBytes(src, off, len);
  }

  @Override
  public void decode(byte[] src, int off, int len, byte[] dst, int dstOff, int rawLen, long offset, String key) {
    if (len != rawLen) {
      throw new ChunkFormatException("raw column length", Integer.toString(rawLen), Integer.toString(len), offset, key);
    }
    System.arraycopy(src, off, dst, dstOff, len);
  }
}
