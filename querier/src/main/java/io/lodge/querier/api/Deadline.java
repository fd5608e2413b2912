package io.lodge.querier.api;

import java.time.Duration;

/**
 * When a query must give up ({@code query_timeout}); loops call {@link #check()} now and then, which
 * throws {@link QueryTimeoutException} (504) once the time is past.
 */
public final class Deadline {
  /** A deadline that never passes. */
  public static final Deadline NONE = new Deadline(Long.MAX_VALUE);

  private final long atNanoTime;

  private Deadline(long atNanoTime) {
    this.atNanoTime = atNanoTime;
  }

  /** A deadline {@code timeout} from now (monotonic clock). */
  public static Deadline after(Duration timeout) {
    long now = System.nanoTime();
    long at = now + timeout.toNanos();
    return new Deadline(at < now ? Long.MAX_VALUE : at);
  }

  public boolean passed() {
    return atNanoTime != Long.MAX_VALUE && System.nanoTime() - atNanoTime > 0;
  }

  /** Throws {@link QueryTimeoutException} when the deadline has passed. */
  public void check() {
    if (passed()) throw new QueryTimeoutException();
  }
}
