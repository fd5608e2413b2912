package io.lodge.bench.load;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scrapes the server's {@code /metrics} at a fixed interval for the whole run, as the Prometheus beside any
 * production server does. Without it the run's only scrapes are one before the warmup, when nothing is
 * compiled yet, and the two that bound the measured window; the first of those reaches HTTP code that the
 * server's JIT compiled for pushes alone, which it throws away and compiles again inside the window
 * (BENCHMARKS.md, nineteenth wave).
 */
final class MetricsScraper implements AutoCloseable {
  private final Duration interval;
  private final ScheduledExecutorService timer;
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  /** Starts scraping {@code base}'s {@code /metrics} now and then every {@code interval} (positive). */
  MetricsScraper(URI base, Duration interval) {
    if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("scrape interval must be positive, got " + interval);
    this.interval = interval;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("bench-scrape").unstarted(r));
    timer.scheduleAtFixedRate(() -> (ServerMetrics.fetch(base).isPresent() ? answered : failed).incrementAndGet(),
        0, interval.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Scrapes the server answered with a 200 so far. */
  long answered() {
    return answered.get();
  }

  /** Scrapes that got no 200 (no answer, an error status, a timeout) so far. */
  long failed() {
    return failed.get();
  }

  /** The summary line, e.g. {@code server     /metrics scraped every 15 s during the run: 6 answered}. */
  String report() {
    return String.format(Locale.ROOT, "server     /metrics scraped every %s during the run, as a Prometheus would: %,d answered%s",
        IngestCommand.human(interval), answered(), failed() == 0 ? "" : String.format(Locale.ROOT, ", %,d not", failed()));
  }

  /** Stops scraping; a scrape under way finishes first (each has a 5 s timeout). */
  @Override
  public void close() throws InterruptedException {
    timer.shutdown();
    if (!timer.awaitTermination(10, TimeUnit.SECONDS)) timer.shutdownNow();
  }
}
