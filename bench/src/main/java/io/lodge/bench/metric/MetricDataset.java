package io.lodge.bench.metric;

import io.lodge.bench.BenchFiles;
import io.lodge.bench.load.LoghubLines;
import io.lodge.config.ConfigLoader;
import io.lodge.config.LodgeConfig;
import io.lodge.ingester.Ingester;
import io.lodge.ingester.PushOutcome;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The dataset of the metric-query benchmark, built in-process: an {@link Ingester} on a fresh directory,
 * filled through its {@code pushService()} with {@code streams x entriesPerStream} generated entries and
 * flushed to chunks, so the queries read compressed blocks as they would after a day of ingest.
 *
 * <p>Stream {@code i} is {@code {app="<loghub system>", instance="s%05d", job="lodge-bench"}}; its entries
 * are random lines of its system followed by {@code " latency=<n>ms"}, evenly spaced over {@code span}
 * from {@link #START_NANOS} (a whole minute, so a 1m grid covers the data exactly). Each of
 * {@code lanes} threads owns a fixed subset of the streams and pushes them in time order, so the pushes run
 * in parallel without ever reordering one stream.
 */
public final class MetricDataset implements AutoCloseable {
  /** 2026-01-01T00:00:00Z: a whole minute in the past, so old samples must be accepted (see the config). */
  public static final long START_NANOS = 1_767_225_600_000_000_000L;
  static final String TENANT = "fake";
  private static final int ENTRIES_PER_PUSH_STREAM = 1000;
  private static final byte[] LATENCY = " latency=".getBytes(StandardCharsets.US_ASCII);

  private final Path dir;
  private final boolean ownsDir;
  private final Ingester ingester;
  private final long entries;
  private final long lineBytes;
  private final long endNanos;
  private final double loadSeconds;

  private MetricDataset(Path dir, boolean ownsDir, Ingester ingester, long entries, long lineBytes, long endNanos,
      double loadSeconds) {
    this.dir = dir;
    this.ownsDir = ownsDir;
    this.ingester = ingester;
    this.entries = entries;
    this.lineBytes = lineBytes;
    this.endNanos = endNanos;
    this.loadSeconds = loadSeconds;
  }

  /** The shape of a dataset: sizes, time span in ns, seed and how many pushes run at once. */
  public record Spec(int streams, int entriesPerStream, long spanNanos, long seed, int lanes, boolean discoverLevels) {
    public Spec {
      if (streams <= 0 || entriesPerStream <= 0) throw new IllegalArgumentException("streams and entries must be > 0");
      if (spanNanos < entriesPerStream) throw new IllegalArgumentException("span " + spanNanos + " ns < " + entriesPerStream + " entries");
      lanes = Math.max(1, Math.min(lanes, streams));
    }

    public long entries() {
      return (long) streams * entriesPerStream;
    }
  }

  /**
   * Builds the dataset under {@code dir} (a fresh temp directory when null, deleted by {@link #close()}),
   * pushing from {@code data}'s lines, then flushes every stream to chunks.
   */
  public static MetricDataset build(Spec spec, LoghubLines data, Path dir) {
    boolean owns = dir == null;
    Path d = owns ? tempDir() : dir;
    Ingester ingester = new Ingester(config(d, spec.discoverLevels()), new PrometheusRegistry());
    boolean ok = false;
    try {
      ingester.start();
      long t0 = System.nanoTime();
      long bytes = push(ingester, spec, data);
      ingester.flushAll();
      double secs = (System.nanoTime() - t0) / 1e9;
      long step = spec.spanNanos() / spec.entriesPerStream();
      long end = START_NANOS + (spec.entriesPerStream() - 1) * step + spec.streams() - 1;
      MetricDataset ds = new MetricDataset(d, owns, ingester, spec.entries(), bytes, end, secs);
      ok = true;
      return ds;
    } finally {
      if (!ok) {
        ingester.close();
        if (owns) BenchFiles.deleteTree(d);
      }
    }
  }

  /** Pushes every entry over {@code spec.lanes()} threads; returns the total line bytes. */
  private static long push(Ingester ingester, Spec spec, LoghubLines data) {
    ExecutorService pool = Executors.newFixedThreadPool(spec.lanes(), r -> {
      Thread t = new Thread(r, "metric-dataset-push");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Long>> lanes = new ArrayList<>();
      for (int lane = 0; lane < spec.lanes(); lane++) {
        int l = lane;
        lanes.add(pool.submit(() -> pushLane(ingester, spec, data, l)));
      }
      long bytes = 0;
      for (Future<Long> f : lanes) bytes += f.get();
      return bytes;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the dataset", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("building the dataset failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** One lane: its streams, 1000 entries each per push, pushed one request at a time in time order. */
  private static long pushLane(Ingester ingester, Spec spec, LoghubLines data, int lane) {
    List<Integer> mine = new ArrayList<>();
    for (int i = lane; i < spec.streams(); i += spec.lanes()) mine.add(i);
    LabelSet[] labels = new LabelSet[mine.size()];
    SplittableRandom[] rnd = new SplittableRandom[mine.size()];
    for (int k = 0; k < labels.length; k++) {
      int i = mine.get(k);
      labels[k] = labels(data, i);
      rnd[k] = new SplittableRandom(spec.seed() * 1_000_003L + i);
    }
    long step = spec.spanNanos() / spec.entriesPerStream();
    long bytes = 0;
    for (int from = 0; from < spec.entriesPerStream(); from += ENTRIES_PER_PUSH_STREAM) {
      int to = Math.min(spec.entriesPerStream(), from + ENTRIES_PER_PUSH_STREAM);
      List<PushStream> streams = new ArrayList<>(labels.length);
      for (int k = 0; k < labels.length; k++) {
        int i = mine.get(k);
        byte[][] pool = data.lines(i % data.systemCount());
        List<LogEntry> es = new ArrayList<>(to - from);
        for (int j = from; j < to; j++) {
          byte[] line = line(pool[rnd[k].nextInt(pool.length)], latencyMillis(rnd[k]));
          bytes += line.length;
          // streams are offset by i ns so that they interleave rather than share timestamps
          es.add(new LogEntry(START_NANOS + j * step + i, line, List.of()));
        }
        streams.add(new PushStream(labels[k], es));
      }
      PushOutcome o = ingester.pushService().push(TENANT, new PushRequest(streams)).join();
      if (!o.isSuccess()) {
        throw new IllegalStateException("push refused: " + o.status() + " " + o.message() + " (lane " + lane + ", entries " + from + ")");
      }
    }
    return bytes;
  }

  /** A long-tailed latency: mostly tens of ms, sometimes seconds. */
  static int latencyMillis(SplittableRandom r) {
    int base = 1 + r.nextInt(50);
    return r.nextInt(100) == 0 ? base * 40 : base;
  }

  static byte[] line(byte[] loghub, int latencyMs) {
    byte[] ms = Integer.toString(latencyMs).getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[loghub.length + LATENCY.length + ms.length + 2];
    System.arraycopy(loghub, 0, out, 0, loghub.length);
    System.arraycopy(LATENCY, 0, out, loghub.length, LATENCY.length);
    System.arraycopy(ms, 0, out, loghub.length + LATENCY.length, ms.length);
    out[out.length - 2] = 'm';
    out[out.length - 1] = 's';
    return out;
  }

  static LabelSet labels(LoghubLines data, int i) {
    return LabelSet.of("app", data.system(i % data.systemCount()), "instance", String.format(Locale.ROOT, "s%05d", i),
        "job", "lodge-bench");
  }

  /**
   * An ingester config for the benchmark: limits raised (the limiter is not what is measured), old samples
   * accepted (the data has fixed timestamps), no WAL fsync; level discovery as asked.
   */
  static LodgeConfig config(Path dir, boolean discoverLevels) {
    String yaml = """
        auth_enabled: false
        server:
          http_listen_address: 127.0.0.1
          http_listen_port: 0
          grpc_listen_port: 0
        common:
          path_prefix: %s
        ingester:
          wal:
            sync: false
        limits_config:
          ingestion_rate_mb: 100000
          ingestion_burst_size_mb: 100000
          per_stream_rate_limit: 10GB
          per_stream_rate_limit_burst: 10GB
          reject_old_samples: false
          discover_log_levels: %s
          max_query_series: 0
        """.formatted(dir, discoverLevels);
    return ConfigLoader.fromYaml(yaml, "metric-bench.yaml").config();
  }

  public Ingester ingester() {
    return ingester;
  }

  /** Entries pushed (every push was accepted in full). */
  public long entries() {
    return entries;
  }

  /** Bytes of the pushed lines. */
  public long lineBytes() {
    return lineBytes;
  }

  public long startNanos() {
    return START_NANOS;
  }

  /** The timestamp of the last entry. */
  public long endNanos() {
    return endNanos;
  }

  /** Seconds spent pushing and flushing. */
  public double loadSeconds() {
    return loadSeconds;
  }

  public String tenant() {
    return TENANT;
  }

  @Override
  public void close() {
    ingester.close();
    if (ownsDir) BenchFiles.deleteTree(dir);
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("lodge-metric-bench");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp directory", e);
    }
  }
}
