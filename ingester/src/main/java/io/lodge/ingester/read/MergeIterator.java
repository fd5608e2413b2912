package io.lodge.ingester.read;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A k-way merge of sorted entry runs by timestamp (ascending for forward, descending for backward; equal
 * timestamps ordered by stream labels, then source order), expanding lazy sources only when the merge
 * reaches them. Identical entries (same stream, timestamp and line) that come from different sources,
 * such as a chunk and a head block that both hold a replayed entry, are returned once.
 */
final class MergeIterator implements EntryIterator {
  private final PriorityQueue<EntrySource> heap;
  private final boolean forward;
  private EntrySource.Run current;

  // entries already returned for the current (stream, timestamp), to drop cross-source duplicates
  private LabelSet groupLabels;
  private long groupTs;
  private final List<byte[]> groupLines = new ArrayList<>();
  private final List<Integer> groupSources = new ArrayList<>();

  MergeIterator(List<EntrySource> sources, Direction direction) {
    this.forward = direction == Direction.FORWARD;
    this.heap = new PriorityQueue<>(Math.max(1, sources.size()), this::compare);
    for (EntrySource s : sources) offer(s);
  }

  private int compare(EntrySource a, EntrySource b) {
    int c = Long.compare(a.key(), b.key());
    if (!forward) c = -c;
    if (c != 0) return c;
    // a lazy source must open before loaded entries of the same time are returned
    if (a.isLazy() != b.isLazy()) return a.isLazy() ? -1 : 1;
    c = a.labels.compareTo(b.labels);
    return c != 0 ? c : Integer.compare(a.order, b.order);
  }

  private void offer(EntrySource s) {
    if (s.isLazy()) {
      heap.add(s);
    } else if (((EntrySource.Run) s).first()) {
      heap.add(s);
    }
  }

  @Override
  public boolean next() {
    if (current != null) {
      if (current.advance()) heap.add(current);
      current = null;
    }
    while (!heap.isEmpty()) {
      EntrySource top = heap.poll();
      if (top.isLazy()) {
        for (EntrySource s : top.expand()) offer(s);
        continue;
      }
      EntrySource.Run run = (EntrySource.Run) top;
      if (isDuplicate(run)) {
        if (run.advance()) heap.add(run);
        continue;
      }
      current = run;
      return true;
    }
    return false;
  }

  private boolean isDuplicate(EntrySource.Run run) {
    long ts = run.key();
    if (groupLabels == null || ts != groupTs || !groupLabels.equals(run.labels)) {
      groupLabels = run.labels;
      groupTs = ts;
      groupLines.clear();
      groupSources.clear();
    }
    byte[] line = run.line();
    for (int i = 0; i < groupLines.size(); i++) {
      if (groupSources.get(i) != run.order && Arrays.equals(groupLines.get(i), line)) return true;
    }
    groupLines.add(line);
    groupSources.add(run.order);
    return false;
  }

  @Override
  public LabelSet labels() {
    return current.labels;
  }

  @Override
  public long timestampNanos() {
    return current.key();
  }

  @Override
  public byte[] line() {
    return current.line();
  }

  @Override
  public List<Label> metadata() {
    return current.metadata();
  }

  @Override
  public void close() {
    heap.clear();
    current = null;
  }
}
