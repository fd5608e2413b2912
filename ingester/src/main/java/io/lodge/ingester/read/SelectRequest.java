package io.lodge.ingester.read;

import io.lodge.ingester.index.LabelMatcher;
import java.util.List;

/**
 * A read of one tenant's streams matching all {@code matchers}, with {@code from <= ts < to}. The
 * {@code hints} say what the caller will never look at (see {@link ReadHints}); {@link ReadHints#NONE}
 * reads everything.
 */
public record SelectRequest(
    String tenant, List<LabelMatcher> matchers, long fromNanos, long toNanos, Direction direction, ReadHints hints) {
  public SelectRequest {
    matchers = List.copyOf(matchers);
    if (hints == null) hints = ReadHints.NONE;
  }

  /** A read of everything in range (no hints). */
  public SelectRequest(String tenant, List<LabelMatcher> matchers, long fromNanos, long toNanos, Direction direction) {
    this(tenant, matchers, fromNanos, toNanos, direction, ReadHints.NONE);
  }

  /** The same read with {@code hints}. */
  public SelectRequest withHints(ReadHints hints) {
    return new SelectRequest(tenant, matchers, fromNanos, toNanos, direction, hints);
  }

  /** The same read (range, direction, hints) of another tenant with other matchers. */
  public SelectRequest withTenant(String tenant, List<LabelMatcher> matchers) {
    return new SelectRequest(tenant, matchers, fromNanos, toNanos, direction, hints);
  }
}
