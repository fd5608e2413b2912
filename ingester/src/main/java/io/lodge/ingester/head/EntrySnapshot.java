package io.lodge.ingester.head;

import io.lodge.ingester.model.Label;
import java.util.List;

/**
 * Entries of one stream sorted by timestamp, as parallel arrays; immutable once built (nobody writes
 * the arrays after construction). Used for the unsealed tail of a head stream and for decoded blocks.
 */
public record EntrySnapshot(long[] timestamps, byte[][] lines, List<Label>[] metadata, long rawBytes) {
  public int size() {
    return timestamps.length;
  }

  /** Index of the first entry with timestamp >= ts (size() when none). */
  public int lowerBound(long ts) {
    int lo = 0, hi = timestamps.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (timestamps[mid] < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
