package io.lodge.ingester.wal;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** One queued {@link WalWriter#append} (or {@link WalWriter#rollSegment} request) and its future. */
final class PendingAppend<T> {
  final byte[] payload;
  final int crc;
  final Function<WalPosition, T> onDurable;
  /** A {@link WalWriter#rollSegment()} request rather than a record. */
  final boolean roll;
  final CompletableFuture<T> future = new CompletableFuture<>();
  WalPosition position;

  PendingAppend(byte[] payload, int crc, Function<WalPosition, T> onDurable, boolean roll) {
    this.payload = payload;
    this.crc = crc;
    this.onDurable = onDurable;
    this.roll = roll;
  }

  /** Bytes this append adds to the segment and counts against the backlog bound. */
  long frameBytes() {
    return WalFormat.FRAME_HEADER_SIZE + (long) payload.length;
  }

  void durable() {
    T result;
    try {
      result = onDurable.apply(position);
    } catch (RuntimeException | Error e) {
      // Handed to the caller, not swallowed; the writer goes on with the next record.
      future.completeExceptionally(e);
      return;
    }
    future.complete(result);
  }

  void fail(Throwable t) {
    future.completeExceptionally(t);
  }
}
