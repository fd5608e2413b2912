package io.lodge.ingester.read;

import io.lodge.ingester.index.LabelMatcher;
import java.util.List;

/** A read of one tenant's streams matching all {@code matchers}, with {@code from <= ts < to}. */
public record SelectRequest(
    String tenant, List<LabelMatcher> matchers, long fromNanos, long toNanos, Direction direction) {
  public SelectRequest {
    matchers = List.copyOf(matchers);
  }
}
