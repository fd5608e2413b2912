package io.lodge.server.tail;

import java.time.Duration;

/**
 * The tuning of live tails. Loki's fixed values where it has them (ping every 1 s, 1 h maximum, at most
 * 1000 dropped entries remembered, 100 entries per frame); Lodge's polling and memory bounds otherwise.
 *
 * @param pollInterval how often a tail reads the store for new entries (so new entries arrive within
 *     about this plus {@code delay_for})
 * @param pingInterval how often the server sends a WebSocket ping
 * @param maxDuration when a tail is closed with 1011 {@code reached tail max duration limit}
 * @param lateGrace how far behind the newest read time a poll reads again, so that entries which
 *     arrive a little late (shippers batch; streams are written by different clients) are still sent;
 *     an entry that arrives later than this (plus {@code delay_for}) after its timestamp is not sent
 * @param maxPendingBytes frame bytes handed to the socket but not yet written; above it (or when the
 *     channel is not writable) entries are dropped and reported in {@code dropped_entries}
 * @param maxRemembered entries remembered to avoid sending one twice when a poll reads again; above it
 *     the oldest are forgotten and the read window shrinks accordingly
 */
public record TailSettings(Duration pollInterval, Duration pingInterval, Duration maxDuration, Duration lateGrace,
    long maxPendingBytes, int maxRemembered) {
  /** Loki's {@code maxDroppedEntriesPerTailResponse}. */
  public static final int MAX_DROPPED = 1000;
  /** Loki's {@code maxEntriesPerTailResponse}. */
  public static final int ENTRIES_PER_FRAME = 100;

  public static final TailSettings DEFAULTS = new TailSettings(Duration.ofMillis(250), Duration.ofSeconds(1),
      Duration.ofHours(1), Duration.ofSeconds(2), 4L << 20, 100_000);

  public TailSettings {
    if (pollInterval.isNegative() || pollInterval.isZero()) throw new IllegalArgumentException("pollInterval must be > 0");
    if (pingInterval.isNegative() || pingInterval.isZero()) throw new IllegalArgumentException("pingInterval must be > 0");
    if (maxPendingBytes <= 0) throw new IllegalArgumentException("maxPendingBytes must be > 0: " + maxPendingBytes);
    if (maxRemembered <= 0) throw new IllegalArgumentException("maxRemembered must be > 0: " + maxRemembered);
  }

  public TailSettings withMaxDuration(Duration d) {
    return new TailSettings(pollInterval, pingInterval, d, lateGrace, maxPendingBytes, maxRemembered);
  }

  public TailSettings withMaxPendingBytes(long bytes) {
    return new TailSettings(pollInterval, pingInterval, maxDuration, lateGrace, bytes, maxRemembered);
  }
}
