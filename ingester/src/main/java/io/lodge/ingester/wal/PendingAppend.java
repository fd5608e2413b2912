package io.lodge.ingester.wal;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** One queued {@link WalWriter#append} (or {@link WalWriter#rollSegment} request) and its future. */
final class PendingAppend<T> {
  final byte[] payload;
  /** Bytes of {@link #payload} that are the record. */
  final int length;
  /** Give {@link #payload} back to {@link RecordBuffers} once this append completes. */
  private final boolean pooled;
  private boolean released;
  final int crc;
  final Function<WalPosition, T> onDurable;
  /** A {@link WalWriter#rollSegment()} request rather than a record. */
  final boolean roll;
  final CompletableFuture<T> future = new CompletableFuture<>();
  WalPosition position;

  PendingAppend(byte[] payload, int crc, Function<WalPosition, T> onDurable, boolean roll) {
    this(EncodedRecord.of(payload), crc, onDurable, roll);
  }

  PendingAppend(EncodedRecord record, int crc, Function<WalPosition, T> onDurable, boolean roll) {
    this.payload = record.bytes();
    this.length = record.length();
    this.pooled = record.pooled();
    this.crc = crc;
    this.onDurable = onDurable;
    this.roll = roll;
  }

  /** Bytes this append adds to the segment and counts against the backlog bound. */
  long frameBytes() {
    return WalFormat.FRAME_HEADER_SIZE + (long) length;
  }

  void durable() {
    release(); // written and synced: the bytes are on disk, the head applies from the request
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
    release();
    future.completeExceptionally(t);
  }

  /** Gives a pooled payload back, once: a writer bug may fail an append that already completed. */
  void release() {
    if (pooled && !released) {
      released = true;
      RecordBuffers.give(payload);
    }
  }
}
