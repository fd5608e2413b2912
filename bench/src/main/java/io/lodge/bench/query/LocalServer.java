package io.lodge.bench.query;

import io.lodge.bench.BenchFiles;
import io.lodge.config.ConfigLoader;
import io.lodge.server.LodgeServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The in-process Lodge server of {@code bench query --local}: default settings except that the limits
 * the benchmark would trip (ingestion rate, series per query) are raised, on a given or a temporary data
 * directory. Gives the benchmark what a remote server cannot: a direct flush, on-disk sizes and the
 * server's CPU time.
 */
final class LocalServer implements AutoCloseable {
  private final LodgeServer server;
  private final Path dataDir;
  private final boolean ownsDir;

  private LocalServer(LodgeServer server, Path dataDir, boolean ownsDir) {
    this.server = server;
    this.dataDir = dataDir;
    this.ownsDir = ownsDir;
  }

  static LocalServer start(Path dir, boolean lineDictionaries) throws IOException, InterruptedException {
    boolean owns = dir == null;
    Path data = owns ? Files.createTempDirectory("lodge-bench-query") : dir;
    LodgeServer s = new LodgeServer(ConfigLoader.fromYaml("""
        auth_enabled: false
        server:
          http_listen_address: 127.0.0.1
          http_listen_port: 0
          grpc_listen_port: 0
        common:
          path_prefix: %s
        ingester:
          line_dictionaries:
            enabled: %s
        limits_config:
          ingestion_rate_mb: 100000
          ingestion_burst_size_mb: 100000
          per_stream_rate_limit: 10GB
          per_stream_rate_limit_burst: 10GB
          max_query_series: 0
        """.formatted(data.toAbsolutePath(), lineDictionaries), "bench-query.yaml").config());
    try {
      s.start();
    } catch (IOException | InterruptedException | RuntimeException e) {
      s.close();
      throw e;
    }
    return new LocalServer(s, data, owns);
  }

  int port() {
    return server.httpPort();
  }

  Path dataDir() {
    return dataDir;
  }

  /** Flushes every stream to chunks (what {@code POST /flush} does). */
  void flush() {
    server.ingester().flushAll();
  }

  /** Bytes of the regular files under {@code p} (0 when it does not exist). */
  static long sizeOf(Path p) throws IOException {
    if (!Files.exists(p)) return 0;
    try (Stream<Path> files = Files.walk(p)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sum();
    }
  }

  /** The 1-minute load average from /proc/loadavg (or the JVM's view), as text. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      return l < 0 ? "?" : String.format(java.util.Locale.ROOT, "%.2f", l);
    }
  }

  /** CPU time of this whole process in ns, or -1 when the JVM cannot tell. */
  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    server.close();
    if (ownsDir) BenchFiles.deleteTree(dataDir);
  }
}
