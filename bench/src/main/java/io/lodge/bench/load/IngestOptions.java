package io.lodge.bench.load;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What one load run does: where to push, the stream and batch shape, how long after an uncounted {@code warmup}, how fast ({@code rate}
 * lines/s open loop, 0 = closed loop as fast as the server answers), over how many connections, from
 * how many body-generator threads; {@code pid} names the server process for /proc readings (0 = find the
 * local listener). {@code dryRun} only generates bodies, to measure the generator itself. {@code preEncode}
 * encodes the bodies of an open-loop run's measured window during its warmup (or before the clock
 * starts without one), so that on a machine the generator shares with the server, the measured window
 * spends the generator's CPU on sending alone. {@code scrapeInterval} is how often the server's {@code /metrics} is
 * scraped for the whole run (zero: only at the measured window's two ends).
 */
public record IngestOptions(
    URI url,
    int streams,
    int linesPerPush,
    int streamsPerPush,
    Duration warmup,
    Duration duration,
    long rate,
    int connections,
    int generators,
    String tenant,
    long seed,
    Path data,
    long pid,
    boolean dryRun,
    boolean preEncode,
    Duration scrapeInterval,
    boolean quiet) {
  public IngestOptions {
    if (streams < 1) throw new IllegalArgumentException("--streams must be positive, got " + streams);
    if (linesPerPush < 1) throw new IllegalArgumentException("--lines-per-push must be positive, got " + linesPerPush);
    if (connections < 1) throw new IllegalArgumentException("--connections must be positive, got " + connections);
    if (generators < 1) throw new IllegalArgumentException("--generators must be positive, got " + generators);
    if (rate < 0 || rate > 1_000_000_000L) throw new IllegalArgumentException("--rate must be 0 to 1,000,000,000 lines/s, got " + rate);
    if (warmup.isNegative()) throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
    if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException("--duration must be positive, got " + duration);
    if (scrapeInterval.isNegative()) throw new IllegalArgumentException("--scrape-interval must be >= 0, got " + scrapeInterval);
    if (preEncode && rate == 0) {
      throw new IllegalArgumentException("--pre-encode needs --rate: only a target rate fixes how many bodies the run will send");
    }
  }

  /** Nanoseconds between two pushes of an open-loop run (0 for a closed loop). */
  public double intervalNanos() {
    return rate == 0 ? 0 : linesPerPush * 1e9 / rate;
  }

  /**
   * The number of pushes an open-loop run sends in its measured window (0 for a closed loop): push
   * {@code k} falls due {@code (long) (k * intervalNanos())} after the window opens, and only those due
   * before it closes are sent.
   */
  public long measuredBodies() {
    if (rate == 0) return 0;
    double interval = intervalNanos();
    long window = duration.toNanos();
    long n = (long) Math.ceil(window / interval);
    while (n > 0 && (long) ((n - 1) * interval) >= window) n--;
    while ((long) (n * interval) < window) n++;
    return n;
  }

  /** The push endpoint under {@link #url}. */
  public URI pushUri() {
    String base = url.toString();
    return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/loki/api/v1/push");
  }
}
