package io.lodge.ingester.wal;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The WAL's Prometheus metrics; one instance per registry, shared by the writer and replay. */
public final class WalMetrics {
  private final Histogram fsyncDuration;
  private final Counter recordsWritten;
  private final Counter bytesWritten;
  private final Histogram recordsPerCommit;
  private final Gauge segments;
  private final Counter writeFailures;
  private final Counter replayedRecords;
  private final Counter replayDroppedBytes;

  public WalMetrics(PrometheusRegistry registry) {
    fsyncDuration = Histogram.builder()
        .name("lodge_wal_fsync_duration_seconds")
        .help("Time of one WAL fsync (FileChannel.force), one per group commit when sync is on.")
        .classicOnly()
        .classicUpperBounds(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
        .register(registry);
    recordsWritten = Counter.builder()
        .name("lodge_wal_records_written")
        .help("Records written to the WAL and made durable.")
        .register(registry);
    bytesWritten = Counter.builder()
        .name("lodge_wal_bytes_written")
        .help("Bytes (frames included) written to the WAL and made durable.")
        .register(registry);
    recordsPerCommit = Histogram.builder()
        .name("lodge_wal_records_per_commit")
        .help("Records made durable by one group commit (one write + one fsync).")
        .classicOnly()
        .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
        .register(registry);
    segments = Gauge.builder()
        .name("lodge_wal_segments")
        .help("WAL segment files on disk.")
        .register(registry);
    writeFailures = Counter.builder()
        .name("lodge_wal_write_failures")
        .help("Group commits whose write or fsync failed; their appends were refused.")
        .register(registry);
    replayedRecords = Counter.builder()
        .name("lodge_wal_replayed_records")
        .help("Records handed to the head by WAL replay at startup.")
        .register(registry);
    replayDroppedBytes = Counter.builder()
        .name("lodge_wal_replay_dropped_bytes")
        .help("Bytes replay cut off as torn tails or skipped as corrupt.")
        .register(registry);
  }

  void fsync(long nanos) {
    fsyncDuration.observe(nanos / 1e9);
  }

  void committed(int records, long bytes) {
    recordsWritten.inc(records);
    bytesWritten.inc(bytes);
    recordsPerCommit.observe(records);
  }

  void segments(int n) {
    segments.set(n);
  }

  void writeFailure() {
    writeFailures.inc();
  }

  /** Records what a replay did (the lead calls it with {@link WalReplay}'s result). */
  public void replayed(ReplayStats stats) {
    replayedRecords.inc(stats.records());
    replayDroppedBytes.inc(stats.tornTailTruncatedBytes() + stats.skippedCorruptBytes());
  }

  /** Number of fsyncs so far (tests check group commit through it). */
  long fsyncCount() {
    return fsyncDuration.collect().getDataPoints().get(0).getCount();
  }

  /** Number of group commits so far. */
  long commitCount() {
    return recordsPerCommit.collect().getDataPoints().get(0).getCount();
  }

  long recordsWritten() {
    return recordsWritten.getLongValue();
  }

  long writeFailures() {
    return writeFailures.getLongValue();
  }

  double segmentsGauge() {
    return segments.get();
  }
}
