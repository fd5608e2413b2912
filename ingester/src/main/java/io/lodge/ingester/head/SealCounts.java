package io.lodge.ingester.head;

import java.util.concurrent.atomic.LongAdder;

/**
 * Head blocks compressed so far, with their raw and stored bytes, by where the compression ran: the
 * sealing threads, the thread applying records (pushes, or the WAL at replay) once the sealer's backlog
 * is at its bound (pushes then wait for zstd), or a flush cut (what no sealing thread had compressed
 * yet, the stream's open block included).
 * A block compressed twice in a race counts once, where its bytes were kept.
 */
public final class SealCounts {
  /** Where a block was compressed; {@link #label} names it in metrics. */
  public enum Where {
    SEALER("sealer"),
    PUSH("push"),
    FLUSH("flush");

    private final String label;

    Where(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final LongAdder[] blocks = adders();
  private final LongAdder[] rawBytes = adders();
  private final LongAdder[] storedBytes = adders();

  private static LongAdder[] adders() {
    LongAdder[] a = new LongAdder[Where.values().length];
    for (int i = 0; i < a.length; i++) a[i] = new LongAdder();
    return a;
  }

  void add(Where where, long raw, long stored) {
    int i = where.ordinal();
    blocks[i].increment();
    rawBytes[i].add(raw);
    storedBytes[i].add(stored);
  }

  public long blocks(Where where) {
    return blocks[where.ordinal()].sum();
  }

  /** Raw bytes (lines and structured metadata) of the blocks compressed there. */
  public long rawBytes(Where where) {
    return rawBytes[where.ordinal()].sum();
  }

  /** Bytes those blocks took once compressed. */
  public long storedBytes(Where where) {
    return storedBytes[where.ordinal()].sum();
  }
}
