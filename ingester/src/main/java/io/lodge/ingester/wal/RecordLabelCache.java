package io.lodge.ingester.wal;

import io.lodge.ingester.model.Hash64;
import io.lodge.ingester.model.LabelSet;
import java.util.Arrays;

/**
 * The label sets of the WAL records one thread decodes, by their encoded bytes: a stream seen before is
 * the same {@link LabelSet} instance again, so replay builds no strings for it and the head finds its
 * stream by identity (a fresh set per record was hashed and compared label by label: a fifth of the
 * replaying thread's time). Direct-mapped, so memory stays bounded whatever the WAL holds; a collision
 * only evicts. Not thread-safe: one per decoding thread.
 */
public final class RecordLabelCache {
  private static final int SLOT_BITS = 13;

  private final byte[][] keys = new byte[1 << SLOT_BITS][];
  private final LabelSet[] sets = new LabelSet[1 << SLOT_BITS];

  /** The set whose encoded labels are {@code buf[from, to)}, or null when not cached. */
  LabelSet get(byte[] buf, int from, int to) {
    int slot = slot(buf, from, to);
    byte[] key = keys[slot];
    return key != null && Arrays.equals(key, 0, key.length, buf, from, to) ? sets[slot] : null;
  }

  /** Remembers {@code set} as the one encoded by {@code buf[from, to)}. */
  void put(byte[] buf, int from, int to, LabelSet set) {
    int slot = slot(buf, from, to);
    keys[slot] = Arrays.copyOfRange(buf, from, to);
    sets[slot] = set;
  }

  private static int slot(byte[] buf, int from, int to) {
    // label lists of one job differ in a few bytes (an instance number): mix before taking high bits
    return (int) ((Hash64.xxh64(buf, from, to - from) * 0x9E3779B97F4A7C15L) >>> (64 - SLOT_BITS));
  }
}
