package io.lodge.bench.load;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What one load run does: where to push, the stream and batch shape, how long after an uncounted {@code warmup}, how fast ({@code rate}
 * lines/s open loop, 0 = closed loop as fast as the server answers), over how many connections, from
 * how many body-generator threads; {@code pid} names the server process for /proc readings (0 = find the
 * local listener). {@code dryRun} only generates bodies, to measure the generator itself.
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
    boolean quiet) {
  public IngestOptions {
    if (streams < 1) throw new IllegalArgumentException("--streams must be positive, got " + streams);
    if (linesPerPush < 1) throw new IllegalArgumentException("--lines-per-push must be positive, got " + linesPerPush);
    if (connections < 1) throw new IllegalArgumentException("--connections must be positive, got " + connections);
    if (generators < 1) throw new IllegalArgumentException("--generators must be positive, got " + generators);
    if (rate < 0) throw new IllegalArgumentException("--rate must be >= 0, got " + rate);
    if (warmup.isNegative()) throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
    if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException("--duration must be positive, got " + duration);
  }

  /** The push endpoint under {@link #url}. */
  public URI pushUri() {
    String base = url.toString();
    return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/loki/api/v1/push");
  }
}
