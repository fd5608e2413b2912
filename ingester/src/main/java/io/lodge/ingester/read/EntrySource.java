package io.lodge.ingester.read;

import io.lodge.ingester.head.EntrySnapshot;
import io.lodge.ingester.model.LabelSet;
import java.util.List;

/**
 * One time-sorted run of a stream's entries inside the merge: a decoded block, the head's unsealed tail,
 * or a not yet opened block or chunk that {@link #expand()} turns into sorted runs when the merge reaches
 * its time bound. Lazy sources are what let a query with a limit stop before reading everything.
 */
abstract class EntrySource {
  final LabelSet labels;
  final int order; // tie-break between sources, so that merging is deterministic

  EntrySource(LabelSet labels, int order) {
    this.labels = labels;
    this.order = order;
  }

  /** True while the source is only a promise (block or chunk not decoded yet). */
  abstract boolean isLazy();

  /** The timestamp the merge orders this source by: the current entry, or the bound of a lazy source. */
  abstract long key();

  /** Opens a lazy source into loaded sources (may be empty). */
  List<EntrySource> expand() {
    throw new IllegalStateException("not lazy");
  }

  /** Loaded sources: advance to the next entry in the range; false when exhausted. */
  boolean advance() {
    throw new IllegalStateException("lazy");
  }

  /** A loaded run of entries within [from, to), walked forward or backward. */
  static final class Run extends EntrySource {
    private final EntrySnapshot entries;
    private final int start; // first index in range
    private final int end; // one past the last index in range
    private final boolean forward;
    private int pos;

    Run(LabelSet labels, int order, EntrySnapshot entries, long from, long to, boolean forward) {
      super(labels, order);
      this.entries = entries;
      this.start = entries.lowerBound(from);
      this.end = entries.lowerBound(to);
      this.forward = forward;
      this.pos = forward ? start - 1 : end;
    }

    @Override
    boolean isLazy() {
      return false;
    }

    boolean isEmpty() {
      return start >= end;
    }

    @Override
    boolean advance() {
      if (forward) {
        return ++pos < end;
      }
      return --pos >= start;
    }

    /** Positions on the first entry; false when the run is empty. */
    boolean first() {
      return advance();
    }

    @Override
    long key() {
      return entries.timestamps()[pos];
    }

    byte[] line() {
      return entries.lines()[pos];
    }

    List<io.lodge.ingester.model.Label> metadata() {
      return entries.metadata()[pos];
    }
  }
}
