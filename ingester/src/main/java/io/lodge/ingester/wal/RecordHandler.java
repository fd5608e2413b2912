package io.lodge.ingester.wal;

import java.io.IOException;
import java.util.Arrays;

/** Receives each replayed record in WAL order; the payload array is the handler's to keep. */
@FunctionalInterface
public interface RecordHandler {
  /** Called once per verified record; an exception stops replay and propagates out of it. */
  void handle(WalPosition position, byte[] payload) throws IOException;

  /**
   * The array the next record's payload of {@code length} bytes is read into, at least that long: a new
   * one of exactly that length unless the handler recycles arrays.
   */
  default byte[] payloadArray(int length) {
    return new byte[length];
  }

  /**
   * Called once per verified record with its payload in {@code payload[0, length)}, an array from
   * {@link #payloadArray}; by default handed on as an array of its own length.
   */
  default void handle(WalPosition position, byte[] payload, int length) throws IOException {
    handle(position, payload.length == length ? payload : Arrays.copyOf(payload, length));
  }
}
