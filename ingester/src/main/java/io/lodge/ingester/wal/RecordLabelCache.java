package io.lodge.ingester.wal;

import io.lodge.ingester.model.Hash64;
import io.lodge.ingester.model.LabelSet;
import java.util.Arrays;

/**
 * The label sets of the WAL records one thread decodes, by their encoded bytes: a stream seen before is
 * the same {@link LabelSet} instance again, so replay builds no strings for it and the head finds its
 * stream by identity (a fresh set per record was hashed and compared label by label: a fifth of the
 * replaying thread's samples). Direct-mapped, and only sections of at most {@link #MAX_KEY_BYTES} are
 * kept, so its memory stays bounded whatever the WAL holds; a collision only evicts. Not thread-safe:
 * one per decoding thread.
 */
public final class RecordLabelCache {
  /** Longer label sections (Loki's limits allow ~46 KB) are decoded every time rather than kept. */
  static final int MAX_KEY_BYTES = 1024;
  private static final int SLOT_BITS = 13;

  private final byte[][] keys = new byte[1 << SLOT_BITS][];
  private final LabelSet[] sets = new LabelSet[1 << SLOT_BITS];

  /** Where the section {@code buf[from, to)} is kept, or -1 when it is too long to keep. */
  int slot(byte[] buf, int from, int to) {
    if (to - from > MAX_KEY_BYTES) return -1;
    // label lists of one job differ in a few bytes (an instance number): mix before taking high bits
    return (int) ((Hash64.xxh64(buf, from, to - from) * 0x9E3779B97F4A7C15L) >>> (64 - SLOT_BITS));
  }

  /** The set kept in {@code slot} if it was decoded from exactly the bytes {@code buf[from, to)}, else null. */
  LabelSet get(int slot, byte[] buf, int from, int to) {
    byte[] key = keys[slot];
    return key != null && Arrays.equals(key, 0, key.length, buf, from, to) ? sets[slot] : null;
  }

  /** Keeps {@code set}, decoded from {@code buf[from, to)}, in {@code slot}. */
  void put(int slot, byte[] buf, int from, int to, LabelSet set) {
    keys[slot] = Arrays.copyOfRange(buf, from, to);
    sets[slot] = set;
  }
}
