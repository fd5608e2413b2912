package io.lodge.ingester.wal;

/**
 * An append that did not become durable. The record is not in the WAL (or is cut off it and will not
 * be replayed), so the push must not be acknowledged; {@link #reason()} picks the HTTP answer.
 */
public class WalWriteException extends RuntimeException {
  /** Why the append failed. */
  public enum Reason {
    /** Too many bytes wait for the disk ({@link WalOptions#maxPendingBytes()}): answer 503, retry later. */
    BACKLOG_FULL,
    /** The writer is closed (shutting down): answer 503. */
    CLOSED,
    /** A single record larger than the WAL accepts: answer 413/400. */
    TOO_LARGE,
    /** The write or fsync failed (disk full, I/O error): answer 500/503; later appends may succeed. */
    IO_ERROR
  }

  private final Reason reason;

  public WalWriteException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public WalWriteException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
