package io.lodge.ingester.wal;

import java.io.IOException;

/** A WAL record payload that is not a valid push record: says what was expected, what came and where. */
public class PushRecordDecodeException extends IOException {
  private final int offset;

  public PushRecordDecodeException(int offset, String what) {
    super("invalid WAL push record at byte " + offset + ": " + what);
    this.offset = offset;
  }

  /** Byte offset in the payload where decoding failed. */
  public int offset() {
    return offset;
  }
}
