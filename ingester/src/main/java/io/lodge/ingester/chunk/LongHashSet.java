package io.lodge.ingester.chunk;

import java.util.Arrays;

/**
 * A set of longs in one open-addressing array (linear probing), reused across blocks by the
 * {@link BlockBuilder} to count distinct token hashes without boxing. Zero marks an empty slot, so the
 * value zero is tracked in a separate flag. The values are also kept densely in insertion order, so
 * that iterating and clearing cost the number of values, not the table's size: a pooled set keeps the
 * table the largest block grew, and an early-sealed block a tenth that size used to pay for clearing
 * and scanning all of it (BENCHMARKS.md, "Ninth wave").
 */
public final class LongHashSet {
  private long[] table;
  /** The non-zero values, in insertion order: at most half the table (the load factor) and one. */
  private long[] values;
  private int mask;
  private int size;
  private boolean hasZero;

  public LongHashSet(int expected) {
    int cap = capacityFor(expected);
    table = new long[cap];
    values = new long[(cap >>> 1) + 1];
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
      values = new long[(cap >>> 1) + 1];
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
    if (size > table.length >>> 4) {
      Arrays.fill(table, 0L);
    } else {
      // few values in a big table: zero their slots. Every value is in the table exactly once, so its
      // probe ends at it, whatever slots before it were zeroed already
      for (int k = 0; k < size; k++) {
        long v = values[k];
        int i = slot(v);
        while (table[i] != v) i = (i + 1) & mask;
        table[i] = 0;
      }
    }
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
    values[size] = v;
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
    long[] vs = values;
    for (int k = 0, n = size; k < n; k++) f.accept(vs[k]);
  }

  private int slot(long v) {
    // the values are already hashes; fold the high bits in so small tables use them too
    return (int) (v ^ (v >>> 32)) & mask;
  }

  private void grow() {
    table = new long[table.length * 2];
    mask = table.length - 1;
    values = Arrays.copyOf(values, (table.length >>> 1) + 1);
    for (int k = 0; k < size; k++) {
      long t = values[k];
      int i = slot(t);
      while (table[i] != 0) i = (i + 1) & mask;
      table[i] = t;
    }
  }
}
