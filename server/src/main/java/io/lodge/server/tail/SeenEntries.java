package io.lodge.server.tail;

import java.util.ArrayDeque;
import java.util.HashSet;

/**
 * The entries a tail already handled (sent, dropped or filtered out) at or after a floor time, so that
 * a poll may read a window again without sending an entry twice. Invariant: every handled entry with
 * {@code ts >= floor()} is remembered, and polls never read below the floor. Memory is bounded: over the
 * cap the oldest-remembered entries are forgotten and the floor rises past them.
 *
 * <p>An entry is identified by (timestamp, stream id, XXH64 of the line): a hash collision between two
 * different lines of one stream at the same nanosecond would hide one of them, which is negligible.
 * Owned by one poller at a time; not thread-safe.
 */
final class SeenEntries {
  private record Key(long ts, long stream, long line) {}

  private final int cap;
  private final HashSet<Key> set = new HashSet<>();
  /** Insertion order, which is time order within a poll: the cheap way to forget old entries. */
  private final ArrayDeque<Key> order = new ArrayDeque<>();
  private long floor;

  SeenEntries(long floor, int cap) {
    this.floor = floor;
    this.cap = cap;
  }

  long floor() {
    return floor;
  }

  /** Remembers an entry; false when it was handled already. */
  boolean add(long ts, long stream, long line) {
    Key k = new Key(ts, stream, line);
    if (!set.add(k)) return false;
    order.addLast(k);
    return true;
  }

  /**
   * Raises the floor to {@code newFloor} (never lowers it), forgets entries below it, then enforces
   * the cap by forgetting the oldest entries and raising the floor above each one forgotten.
   */
  void advance(long newFloor) {
    if (newFloor > floor) floor = newFloor;
    // entries that arrived late sit behind newer ones in the deque; they are forgotten when they reach
    // the head (they cost memory until then but can never match: polls read at or above the floor)
    while (!order.isEmpty() && order.peekFirst().ts < floor) set.remove(order.pollFirst());
    while (set.size() > cap) {
      Key k = order.pollFirst();
      set.remove(k);
      if (k.ts >= floor) floor = k.ts + 1;
    }
  }

  int size() {
    return set.size();
  }
}
