package io.lodge.ingester.chunk;

/**
 * Bytes that are not a valid block or chunk: a checksum mismatch, a truncated object, a field out of
 * range. The message names what was expected, what came, the byte offset and the object key when known.
 * Unchecked because it surfaces deep inside lazy iterators; the store reader maps it to a failed query.
 */
public class ChunkFormatException extends RuntimeException {
  private final String key;
  private final long offset;

  public ChunkFormatException(String what, String expected, String actual, long offset, String key) {
    this(what, expected, actual, offset, key, null);
  }

  public ChunkFormatException(String what, String expected, String actual, long offset, String key,
      Throwable cause) {
    super(message(what, expected, actual, offset, key), cause, false, false);
    this.key = key;
    this.offset = offset;
  }

  private static String message(String what, String expected, String actual, long offset, String key) {
    return (key == null ? "chunk data" : "chunk " + key) + ": bad " + what + " at offset " + offset
        + ": expected " + expected + ", got " + actual;
  }

  /** The object key of the corrupt chunk, or null when the bytes did not come from a store. */
  public String key() {
    return key;
  }

  /** The byte offset of the bad field within the object (or the block when read alone). */
  public long offset() {
    return offset;
  }
}
