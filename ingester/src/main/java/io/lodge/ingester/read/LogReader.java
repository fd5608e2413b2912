package io.lodge.ingester.read;

import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.model.LabelSet;
import java.util.List;

/**
 * The querier's view of stored logs: the head (recent, in memory) and flushed chunks together, each
 * acknowledged entry exactly once. Times are Unix ns, {@code from} inclusive and {@code to} exclusive.
 */
public interface LogReader {
  /** Entries of the matching streams in the request's direction; equal timestamps keep a stable order. */
  EntryIterator select(SelectRequest request);

  /** Names of stream labels of streams (optionally matching {@code matchers}) with data in range, sorted. */
  List<String> labelNames(String tenant, long fromNanos, long toNanos, List<LabelMatcher> matchers);

  /** Values of label {@code name} in range, sorted. */
  List<String> labelValues(String tenant, String name, long fromNanos, long toNanos, List<LabelMatcher> matchers);

  /** Label sets of streams matching any of {@code selectors} with data in range (an empty list = all). */
  List<LabelSet> series(String tenant, List<List<LabelMatcher>> selectors, long fromNanos, long toNanos);

  /** Stream, chunk, byte and entry counts of matching streams with data in range. */
  IndexStats stats(String tenant, List<LabelMatcher> matchers, long fromNanos, long toNanos);
}
