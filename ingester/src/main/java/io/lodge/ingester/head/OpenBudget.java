package io.lodge.ingester.head;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw bytes held by all streams' open (unsealed) blocks, and the budget past which a stream seals
 * its open block early. Open blocks are the head's bulkiest part: at a million lines a second over
 * 1,000 streams, 256 KiB blocks that fill in under two seconds keep ~128 MB of raw lines on average,
 * while sealed blocks shrink them eight-fold. Without a budget the only relief was the flusher cutting
 * whole streams into small chunks every second; with it, the streams appended to while the budget is
 * exceeded hand their open blocks (when at least {@link #minBlockBytes} big) to the sealer, so block
 * size adapts to about {@code limit / active streams} and the head bound is spent on compressed data.
 *
 * <p>When more than {@code limit / minBlockBytes} streams each hold just under {@link #minBlockBytes}
 * (8,192 streams at the defaults), the budget stays exceeded and every active stream seals a block of
 * about {@link #minBlockBytes} on each push until idle streams are cut: small blocks, but memory bounded
 * by streams times that minimum. Not applied during WAL replay, when the sealer keeps frozen blocks raw.
 *
 * <p>Written by the thread applying records (the WAL thread, or the replay thread) and the flusher
 * (cuts); a counter, not a lock.
 */
public final class OpenBudget {
  /** No budget: blocks seal only when full (tests, tools). */
  public static final OpenBudget UNLIMITED = new OpenBudget(Long.MAX_VALUE, Long.MAX_VALUE);

  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong earlySeals = new AtomicLong();
  private final long limitBytes;
  private final long minBlockBytes;

  /**
   * A budget of {@code limitBytes} of open raw bytes; an open block seals early only from
   * {@code minBlockBytes} on (so that thousands of slow streams do not seal tiny blocks).
   */
  public OpenBudget(long limitBytes, long minBlockBytes) {
    if (limitBytes <= 0) throw new IllegalArgumentException("open block budget must be positive, got " + limitBytes);
    if (minBlockBytes <= 0) {
      throw new IllegalArgumentException("smallest early-sealed block must be positive, got " + minBlockBytes);
    }
    this.limitBytes = limitBytes;
    this.minBlockBytes = minBlockBytes;
  }

  /** For a head bound of {@code maxHeadBytes} (0 or less: none) and blocks of {@code blockBytes}: half the bound, blocks of an eighth. */
  public static OpenBudget forHead(long maxHeadBytes, long blockBytes) {
    if (maxHeadBytes <= 0) return UNLIMITED;
    return new OpenBudget(Math.max(1, maxHeadBytes / 2), Math.max(1, blockBytes / 8));
  }

  void add(long delta) {
    if (delta != 0 && this != UNLIMITED) bytes.addAndGet(delta);
  }

  /**
   * The block size an open block's pages should be cut for, when blocks fill to {@code blockBytes}.
   * Within an eighth of the budget, where it stays while early sealing is at work, blocks end wherever
   * early sealing catches them, so pages stop growing at {@link #minBlockBytes} (4, 8, 16 KiB, then
   * 4 KiB each at the defaults) instead of running to 64 KiB each: such a block used to leave half a
   * 64 KiB page empty on average, at a million lines a second over 1,000 streams ~40 MB of page
   * capacity that the head bound counted and the off-heap page limit had to hold.
   */
  long pageTarget(long blockBytes) {
    return bytes.get() > limitBytes - limitBytes / 8 ? Math.min(blockBytes, minBlockBytes) : blockBytes;
  }

  /** Whether an open block of {@code openBytes} should seal now, though not full. */
  boolean sealEarly(long openBytes) {
    return openBytes >= minBlockBytes && bytes.get() > limitBytes;
  }

  void sealedEarly() {
    earlySeals.incrementAndGet();
  }

  /** Open blocks sealed before they were full, since start. */
  public long earlySeals() {
    return earlySeals.get();
  }

  /** Raw bytes in open blocks now. */
  public long bytes() {
    return bytes.get();
  }

  public long limitBytes() {
    return limitBytes;
  }

  long minBlockBytes() {
    return minBlockBytes;
  }
}
