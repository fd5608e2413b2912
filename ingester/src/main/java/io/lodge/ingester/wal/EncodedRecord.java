package io.lodge.ingester.wal;

/**
 * A WAL record payload: the first {@code length} bytes of {@code bytes}. When {@code pooled}, the array
 * came from {@link RecordBuffers} and goes back there once the WAL writer is done with it.
 */
public record EncodedRecord(byte[] bytes, int length, boolean pooled) {
  public EncodedRecord {
    if (length < 0 || length > bytes.length) {
      throw new IllegalArgumentException("record length " + length + " outside its array of " + bytes.length);
    }
  }

  /** A whole array, not pooled. */
  public static EncodedRecord of(byte[] bytes) {
    return new EncodedRecord(bytes, bytes.length, false);
  }
}
