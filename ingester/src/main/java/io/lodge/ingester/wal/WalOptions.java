package io.lodge.ingester.wal;

/**
 * How a {@link WalWriter} writes.
 *
 * @param sync fsync ({@code FileChannel.force(false)}) every group before acknowledging it; off means
 *     a record is acknowledged once written to the OS, so a machine crash (not a process crash) may
 *     lose the last acknowledged records
 * @param segmentSize roll to a new segment when the next frame would make the current one larger
 *     than this; a record larger than a whole segment is written alone into its own segment
 * @param maxPendingBytes bound on payload bytes accepted but not yet written; an append beyond it fails
 *     fast with a {@link WalWriteException} of reason {@link WalWriteException.Reason#BACKLOG_FULL} (HTTP
 *     503). One record is always accepted when nothing is pending, whatever its size.
 */
public record WalOptions(boolean sync, long segmentSize, long maxPendingBytes) {
  /** Default backlog bound: 64 MiB of payload waiting for the disk. */
  public static final long DEFAULT_MAX_PENDING_BYTES = 64L << 20;
  /** Default segment size: 128 MiB. */
  public static final long DEFAULT_SEGMENT_SIZE = 128L << 20;

  public WalOptions {
    if (segmentSize < WalFormat.HEADER_SIZE + WalFormat.FRAME_HEADER_SIZE) {
      throw new IllegalArgumentException("segmentSize must be at least "
          + (WalFormat.HEADER_SIZE + WalFormat.FRAME_HEADER_SIZE) + " bytes, got " + segmentSize);
    }
    if (maxPendingBytes <= 0) throw new IllegalArgumentException("maxPendingBytes must be > 0, got " + maxPendingBytes);
  }

  /** Options with the default backlog bound. */
  public WalOptions(boolean sync, long segmentSize) {
    this(sync, segmentSize, DEFAULT_MAX_PENDING_BYTES);
  }

  /** sync on, 128 MiB segments, 64 MiB backlog. */
  public static WalOptions defaults() {
    return new WalOptions(true, DEFAULT_SEGMENT_SIZE, DEFAULT_MAX_PENDING_BYTES);
  }
}
