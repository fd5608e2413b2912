package io.lodge.ingester.model;

import java.time.Instant;

/** Instants as Unix nanoseconds, the time unit of every timestamp Lodge stores and answers with. */
public final class UnixNanos {
  private UnixNanos() {}

  /** The wall clock now. */
  public static long now() {
    return of(Instant.now());
  }

  /** {@code instant} in Unix ns (overflows past the year 2262, as every ns timestamp does). */
  public static long of(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
