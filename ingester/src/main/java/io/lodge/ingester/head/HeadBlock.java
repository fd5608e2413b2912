package io.lodge.ingester.head;

import io.lodge.ingester.model.LabelSet;

/**
 * A full block of one stream on its way to compression: frozen raw entries until a sealer thread (or
 * the flusher, whichever comes first) compresses them. Compressing the same frozen entries twice gives
 * the same bytes, so that race is harmless. The raw entries are dropped, and their pages recycled
 * ({@link LinePages}), once the sealed block is set and no reader or encoder still uses them: users
 * {@link #acquire} the raw block and {@link #release} it, and the last release after sealing recycles.
 * So a page is never back in the pool while a reader copies from it or an encoder compresses it.
 */
final class HeadBlock {
  private volatile OpenBlock raw;
  private volatile SealedBlock sealed;
  /** Readers and encoders using {@link #raw} now; guarded by this. */
  private int users;
  /** The head is closing: the raw block is dropped without being sealed (guarded by this). */
  private boolean discarded;
  private final long minTs;
  private final long maxTs;
  private final int count;
  private final long rawBytes;
  private final String tenant; // the stream's, for the codec (null for a block sealed already)
  private final LabelSet labels;

  /** Freezes {@code full}, a block of the stream {@code tenant}/{@code labels}: nobody appends to it any more. */
  HeadBlock(OpenBlock full, String tenant, LabelSet labels) {
    this.raw = full;
    this.tenant = tenant;
    this.labels = labels;
    this.minTs = full.minTs();
    this.maxTs = full.maxTs();
    this.count = full.count();
    this.rawBytes = full.rawBytes();
  }

  /** Wraps a block that is already compressed (a failed flush putting blocks back). */
  HeadBlock(SealedBlock block) {
    this.sealed = block;
    this.tenant = null;
    this.labels = null;
    this.minTs = block.minTs();
    this.maxTs = block.maxTs();
    this.count = block.count();
    this.rawBytes = block.rawBytes();
  }

  /** The codec's {@link BlockCodec#affinity} for this block's stream (0 once sealed). */
  long affinity(BlockCodec codec) {
    return tenant == null || sealed != null ? 0 : codec.affinity(tenant, labels);
  }

  /**
   * The compressed block, compressing it now if no sealer has yet; a compression kept here is counted in
   * {@code counts} under {@code where}.
   */
  SealedBlock seal(BlockCodec codec, SealCounts counts, SealCounts.Where where) {
    SealedBlock s = sealed;
    if (s != null) return s;
    OpenBlock r = acquire();
    if (r == null) return sealed; // sealed concurrently: raw is cleared only after sealed is set
    try {
      s = codec.encode(tenant, labels, r.columns()); // straight from the frozen block's arrays and pages
      boolean kept;
      synchronized (this) {
        kept = sealed == null;
        if (kept) sealed = s;
        else s = sealed;
      }
      if (kept) counts.add(where, rawBytes, s.compressedBytes());
      return s;
    } finally {
      release(r);
    }
  }

  /** The sealed block, or null while it is still raw. */
  SealedBlock sealedOrNull() {
    return sealed;
  }

  /** The entries sorted (copied), for a reader of a block that is not sealed yet (null once it is). */
  EntrySnapshot rawSnapshot() {
    OpenBlock r = acquire();
    if (r == null) return null;
    try {
      return r.sortedSnapshot();
    } finally {
      release(r);
    }
  }

  /**
   * Gives the raw block's pages back without sealing it, now or when its last user is done: for a head
   * that is closing, whose unsealed entries the WAL still holds. The block is unreadable afterwards.
   */
  void discard() {
    OpenBlock r;
    synchronized (this) {
      discarded = true;
      r = users == 0 ? raw : null;
      if (r != null) raw = null;
    }
    if (r != null) r.recycle();
  }

  /** The raw block, counted as in use until {@link #release}; null once sealed and dropped. */
  private synchronized OpenBlock acquire() {
    OpenBlock r = raw;
    if (r != null) users++;
    return r;
  }

  /** Ends one use; the last one after sealing drops the raw block and recycles its pages. */
  private void release(OpenBlock r) {
    boolean drop;
    synchronized (this) {
      users--;
      drop = users == 0 && (sealed != null || discarded) && raw == r;
      if (drop) raw = null;
    }
    if (drop) r.recycle();
  }

  long memoryBytes() {
    SealedBlock s = sealed;
    if (s != null) return s.compressedBytes();
    OpenBlock r = raw;
    return r != null ? r.retainedBytes() : sealedBytes();
  }

  /** Sealed concurrently between the two reads above: raw is cleared only after sealed is set. */
  private long sealedBytes() {
    SealedBlock s = sealed;
    return s != null ? s.compressedBytes() : rawBytes;
  }

  /** Compressed size, or an estimate (a quarter of the raw size) while not sealed. */
  long compressedEstimate() {
    SealedBlock s = sealed;
    return s != null ? s.compressedBytes() : rawBytes / 4;
  }

  long minTs() {
    return minTs;
  }

  long maxTs() {
    return maxTs;
  }

  int count() {
    return count;
  }

  long rawBytes() {
    return rawBytes;
  }

  boolean overlaps(long fromNanos, long toNanosExclusive) {
    return minTs < toNanosExclusive && maxTs >= fromNanos;
  }
}
