package io.lodge.querier.metric;

import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.read.Direction;
import io.lodge.ingester.read.EntryIterator;
import io.lodge.ingester.read.IndexStats;
import io.lodge.ingester.read.LogReader;
import io.lodge.ingester.read.SelectRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link LogReader} over a list of entries in memory, for engine tests; counts the entries it returns
 * and records the selects (and their threads). Safe for the parallel parts of one query.
 */
final class MemoryLogReader implements LogReader {
  /** One stored entry. */
  record Entry(LabelSet stream, long ts, String line, List<Label> metadata) {
    byte[] bytes() {
      return line.getBytes(StandardCharsets.UTF_8);
    }
  }

  final List<Entry> entries;
  // parts of a split query select from several threads at once
  final List<SelectRequest> selects = Collections.synchronizedList(new ArrayList<>());
  final List<String> selectThreads = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger returnedCount = new AtomicInteger();

  MemoryLogReader(List<Entry> entries) {
    this.entries = entries;
  }

  /** When set, every select waits until it opens (to hold evaluation threads busy in tests). */
  volatile CountDownLatch gate;

  /** Entries returned by all iterators so far. */
  int returned() {
    return returnedCount.get();
  }

  @Override
  public EntryIterator select(SelectRequest r) {
    selects.add(r);
    selectThreads.add(Thread.currentThread().getName());
    CountDownLatch g = gate;
    if (g != null) {
      try {
        g.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting at the gate", e);
      }
    }
    List<Entry> hits = new ArrayList<>();
    for (Entry e : entries) {
      if (e.ts() < r.fromNanos() || e.ts() >= r.toNanos()) continue;
      boolean all = true;
      for (LabelMatcher m : r.matchers()) {
        String v = e.stream().get(m.name());
        if (!m.matches(v == null ? "" : v)) all = false;
      }
      if (all) hits.add(e);
    }
    Comparator<Entry> order = Comparator.comparingLong(Entry::ts);
    hits.sort(order.thenComparing(Entry::stream));
    if (r.direction() == Direction.BACKWARD) hits = hits.reversed();
    List<Entry> result = hits;
    return new EntryIterator() {
      int i = -1;

      @Override
      public boolean next() {
        if (i + 1 >= result.size()) return false;
        i++;
        returnedCount.incrementAndGet();
        return true;
      }

      @Override
      public LabelSet labels() {
        return result.get(i).stream();
      }

      @Override
      public long timestampNanos() {
        return result.get(i).ts();
      }

      @Override
      public byte[] line() {
        return result.get(i).bytes();
      }

      @Override
      public List<Label> metadata() {
        return result.get(i).metadata();
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public List<String> labelNames(String tenant, long fromNanos, long toNanos, List<LabelMatcher> matchers) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<String> labelValues(String tenant, String name, long fromNanos, long toNanos, List<LabelMatcher> matchers) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<LabelSet> series(String tenant, List<List<LabelMatcher>> selectors, long fromNanos, long toNanos) {
    throw new UnsupportedOperationException();
  }

  @Override
  public IndexStats stats(String tenant, List<LabelMatcher> matchers, long fromNanos, long toNanos) {
    throw new UnsupportedOperationException();
  }
}
