package io.lodge.ingester.chunk;

import java.util.Arrays;

/**
 * A set of longs in one open-addressing array (linear probing), reused across blocks by the
 * {@link BlockBuilder} to count distinct token hashes without boxing. Zero marks an empty slot, so the
 * value zero is tracked in a separate flag.
 */
public final class LongHashSet {
  private long[] table;
  private int mask;
  private int size;
  private boolean hasZero;

  public LongHashSet(int expected) {
    int cap = capacityFor(expected);
    table = new long[cap];
    mask = cap - 1;
  }

  private static int capacityFor(int expected) {
    return Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
  }

  /**
   * Empties the set and makes its table at least as large as {@code new LongHashSet(expected)} would
   * start, so a reused set probes no more than a fresh one (a table grown only on demand runs fuller).
   */
  public void clear(int expected) {
    int cap = capacityFor(expected);
    if (table.length < cap) {
      table = new long[cap];
      mask = cap - 1;
      size = 0;
      hasZero = false;
    } else {
      clear();
    }
  }

  /** Slots in the table: what this set pins in memory, in longs. */
  int capacity() {
    return table.length;
  }

  public int size() {
    return size + (hasZero ? 1 : 0);
  }

  void clear() {
    if (size > 0) Arrays.fill(table, 0L);
    size = 0;
    hasZero = false;
  }

  void add(long v) {
    if (v == 0) {
      hasZero = true;
      return;
    }
    int i = slot(v);
    while (true) {
      long t = table[i];
      if (t == v) return;
      if (t == 0) break;
      i = (i + 1) & mask;
    }
    table[i] = v;
    if (++size * 2 > table.length) grow();
  }

  boolean contains(long v) {
    if (v == 0) return hasZero;
    for (int i = slot(v); ; i = (i + 1) & mask) {
      long t = table[i];
      if (t == v) return true;
      if (t == 0) return false;
    }
  }

  /** Calls {@code f} once per element, in no particular order. */
  void forEach(java.util.function.LongConsumer f) {
    if (hasZero) f.accept(0L);
    for (long t : table) if (t != 0) f.accept(t);
  }

  private int slot(long v) {
    // the values are already hashes; fold the high bits in so small tables use them too
    return (int) (v ^ (v >>> 32)) & mask;
  }

  private void grow() {
    long[] old = table;
    table = new long[old.length * 2];
    mask = table.length - 1;
    for (long t : old) {
      if (t == 0) continue;
      int i = slot(t);
      while (table[i] != 0) i = (i + 1) & mask;
      table[i] = t;
    }
  }
}
