package io.lodge.ingester.read;

import io.lodge.ingester.head.EntrySnapshot;
import io.lodge.ingester.model.Label;
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

  /**
   * A loaded run of entries within the read's range, walked forward or backward over the indexes
   * {@code [start, end)} of its columns. The current line is exposed as a slice of a buffer that never
   * changes while the run lives, so the merge can compare lines without copying them.
   */
  abstract static class Run extends EntrySource {
    private final int start; // first index in range
    private final int end; // one past the last index in range
    private final boolean forward;
    int pos;

    Run(LabelSet labels, int order, int start, int end, boolean forward) {
      super(labels, order);
      this.start = start;
      this.end = end;
      this.forward = forward;
      this.pos = forward ? start - 1 : end;
    }

    @Override
    final boolean isLazy() {
      return false;
    }

    final boolean isEmpty() {
      return start >= end;
    }

    /** Moves to the next entry in range; false when exhausted. */
    final boolean advance() {
      if (forward) {
        return ++pos < end;
      }
      return --pos >= start;
    }

    /** The first index in the read's range. */
    final int rangeStart() {
      return start;
    }

    /** One past the last index in the read's range. */
    final int rangeEnd() {
      return end;
    }

    /** Positions on the first entry; false when the run is empty. */
    final boolean first() {
      return advance();
    }

    /** The current line as its own array (may copy; empty when the read skipped lines). */
    abstract byte[] line();

    final int lineLength() {
      return lengthAt(pos);
    }

    abstract List<Label> metadata();

    /** The index of the current entry, for {@link #bufferAt} and friends. */
    final int position() {
      return pos;
    }

    /** The buffer holding line {@code i} at {@link #offsetAt}; loads the lines if the read skipped them. */
    abstract byte[] bufferAt(int i);

    abstract int offsetAt(int i);

    abstract int lengthAt(int i);
  }

  /** A run over an {@link EntrySnapshot}: the head's unsealed tail, one array per line. */
  static final class SnapshotRun extends Run {
    private final EntrySnapshot entries;

    SnapshotRun(LabelSet labels, int order, EntrySnapshot entries, long from, long to, boolean forward) {
      super(labels, order, entries.lowerBound(from), entries.lowerBound(to), forward);
      this.entries = entries;
    }

    @Override
    long key() {
      return entries.timestamps()[pos];
    }

    /** The entries (all of them; the run's are {@code [rangeStart(), rangeEnd())}). */
    EntrySnapshot snapshot() {
      return entries;
    }

    @Override
    byte[] line() {
      return entries.lines()[pos];
    }

    @Override
    byte[] bufferAt(int i) {
      return entries.lines()[i];
    }

    @Override
    int offsetAt(int i) {
      return 0;
    }

    @Override
    int lengthAt(int i) {
      return entries.lines()[i].length;
    }

    @Override
    List<Label> metadata() {
      return entries.metadata()[pos];
    }
  }
}
