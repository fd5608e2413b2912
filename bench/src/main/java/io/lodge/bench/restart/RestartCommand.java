package io.lodge.bench.restart;

import io.lodge.bench.BenchFiles;
import io.lodge.bench.load.IngestOptions;
import io.lodge.bench.load.IngestResult;
import io.lodge.bench.load.IngestRun;
import io.lodge.bench.load.LoghubLines;
import io.lodge.bench.load.ProcessStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./lodge bench restart}: time to ready of a real {@code ./lodge run}, started as a child process
 * like a user starts it, with an empty WAL or over a WAL that the load generator filled before the server
 * was SIGKILLed (every run replays a fresh copy of it).
 */
@Command(name = "restart", mixinStandardHelpOptions = true,
    description = "Time to ready of ./lodge run: with an empty WAL (startup), or replaying a WAL the load generator filled"
        + " with --fill before a SIGKILL (replay).")
public final class RestartCommand implements Callable<Integer> {
  private static final long FILL_BOUND_BYTES = 8L << 30;
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

  @Spec CommandSpec spec;
  @Option(names = "--runs", defaultValue = "5", description = "timed starts (default: ${DEFAULT-VALUE})")
  int runs;
  @Option(names = "--fill", defaultValue = "0s", description = "push this long (the load generator's default workload at"
      + " --fill-rate) before the runs, then SIGKILL the server: each run replays that WAL; 0s = an empty WAL (default: ${DEFAULT-VALUE})")
  Duration fill;
  @Option(names = "--fill-rate", defaultValue = "300000", description = "lines/s of the fill (default: ${DEFAULT-VALUE})")
  long fillRate;
  @Option(names = "--port", defaultValue = "3190", description = "HTTP port of the started servers (default: ${DEFAULT-VALUE})")
  int port;
  @Option(names = "--grpc-port", defaultValue = "9190", description = "gRPC port of the started servers (default: ${DEFAULT-VALUE})")
  int grpcPort;
  @Option(names = "--java-opts", description = "LODGE_JAVA_OPTS of the started servers (default: the launcher's own)")
  String javaOpts;
  @Option(names = "--pause", defaultValue = "1s", description = "wait between a server's stop and the next start (default: ${DEFAULT-VALUE})")
  Duration pause;
  @Option(names = "--dir", description = "where the data directories go (default: a temporary directory, deleted at the end)")
  Path dir;
  @Option(names = "--launcher", defaultValue = "./lodge", description = "the command started as `<launcher> run -config.file=...`"
      + " (default: ${DEFAULT-VALUE})")
  Path launcher;
  @Option(names = "--config", defaultValue = "bench/lodge-bench.yaml", description = "server configuration, with its LODGE_BENCH_*"
      + " variables (default: ${DEFAULT-VALUE})")
  Path config;
  @Option(names = "--data", description = "directory of loghub *.log files for the fill (default: shared/data/loghub above the working directory)")
  Path data;

  /** One timed start. */
  record Run(Duration ready, Duration uptimeAtReady, double cpuSeconds, long rssBytes, ServerProcess.Replay replay) {}

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (runs < 1) throw new IllegalArgumentException("--runs must be positive, got " + runs);
    if (fill.isNegative()) throw new IllegalArgumentException("--fill must be >= 0, got " + fill);
    PrintWriter out = spec.commandLine().getOut();
    boolean ownsDir = dir == null;
    Path work = ownsDir ? Files.createTempDirectory("lodge-bench-restart") : Files.createDirectories(dir);
    try {
      Path filled = work.resolve("filled");
      BenchFiles.deleteTree(filled); // a --dir used before
      Files.createDirectories(filled);
      IngestResult fillResult = fill.isZero() ? null : fill(filled, work);
      List<Run> done = new ArrayList<>();
      warmUp(work);
      for (int i = 1; i <= runs; i++) {
        Thread.sleep(pause.toMillis());
        Run r = timedStart(filled, work, i);
        done.add(r);
        out.println(describe(i, r, fillResult));
        out.flush();
      }
      out.println(summary(done, fillResult));
      out.flush();
      return 0;
    } finally {
      if (ownsDir) BenchFiles.deleteTree(work);
    }
  }

  /**
   * Starts a server on {@code filled}, pushes the fill into it (the load generator's report on standard
   * output), and SIGKILLs it: the WAL keeps everything acknowledged.
   */
  private IngestResult fill(Path filled, Path work) throws IOException, InterruptedException {
    LoghubLines lines = LoghubLines.load(LoghubLines.locate(data));
    try (ServerProcess server = ServerProcess.start(launcher, config, port, env(filled), work.resolve("fill.log"))) {
      server.awaitReady(READY_TIMEOUT);
      IngestOptions o = new IngestOptions(URI.create("http://127.0.0.1:" + port), 1000, 1000, 10, Duration.ZERO, fill, fillRate,
          4, 1, null, 1, data, server.pid(), false, false, Duration.ZERO, true);
      System.out.printf("filling the WAL: %s at %,d lines/s%n", fill.toString().substring(2).toLowerCase(Locale.ROOT), fillRate);
      IngestResult r = new IngestRun(o, lines, System.out).run();
      if (r.ackedLines() == 0) throw new IOException("the fill was not acknowledged; the server's log: " + work.resolve("fill.log"));
      server.kill();
      return r;
    }
  }

  /**
   * One start not timed, on an empty data directory and stopped cleanly: the launcher writes its
   * class-data archive at the first clean stop after a build, and every timed start should find it, as a
   * user's second start does.
   */
  private void warmUp(Path work) throws IOException, InterruptedException {
    Path empty = work.resolve("warmup");
    BenchFiles.deleteTree(empty);
    Files.createDirectories(empty);
    try (ServerProcess server = ServerProcess.start(launcher, config, port, env(empty), work.resolve("warmup.log"))) {
      server.awaitReady(READY_TIMEOUT);
      server.stop(Duration.ofSeconds(60));
    }
    BenchFiles.deleteTree(empty);
  }

  private Run timedStart(Path filled, Path work, int i) throws IOException, InterruptedException {
    Path runDir = work.resolve("run");
    BenchFiles.deleteTree(runDir);
    BenchFiles.copyTree(filled, runDir);
    try (ServerProcess server = ServerProcess.start(launcher, config, port, env(runDir), work.resolve("run-" + i + ".log"))) {
      Duration ready = server.awaitReady(READY_TIMEOUT);
      ProcessStats.Sample sample = ProcessStats.sample(server.pid()).orElse(new ProcessStats.Sample(-1, -1));
      Run r = new Run(ready, server.uptimeAtReady().orElse(null), sample.cpuSeconds(), sample.rssBytes(),
          server.replay().orElse(null));
      // a replayed head would be flushed by a clean stop: the copy is thrown away, so it is killed
      if (fill.isZero()) server.stop(Duration.ofSeconds(60)); else server.kill();
      return r;
    } finally {
      BenchFiles.deleteTree(runDir);
    }
  }

  private Map<String, String> env(Path dataDir) {
    Map<String, String> env = new HashMap<>();
    env.put("LODGE_BENCH_PORT", Integer.toString(port));
    env.put("LODGE_BENCH_GRPC_PORT", Integer.toString(grpcPort));
    env.put("LODGE_BENCH_DATA", dataDir.toAbsolutePath().toString());
    if (!fill.isZero()) {
      // nothing flushed early while filling, and the replay keeps every block raw as it does below half the head bound
      env.put("LODGE_BENCH_MAX_HEAD", Long.toString(FILL_BOUND_BYTES));
      env.put("LODGE_BENCH_WAL_MAX", Long.toString(FILL_BOUND_BYTES));
    }
    if (javaOpts != null) env.put("LODGE_JAVA_OPTS", javaOpts);
    return env;
  }

  static String describe(int i, Run r, IngestResult fill) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "run %d: ready after %.3f s", i, seconds(r.ready())));
    if (r.uptimeAtReady() != null) sb.append(String.format(Locale.ROOT, " (JVM uptime %.3f s)", seconds(r.uptimeAtReady())));
    if (r.cpuSeconds() >= 0) {
      sb.append(String.format(Locale.ROOT, ", CPU %.2f s, RSS %,d MB", r.cpuSeconds(), r.rssBytes() >> 20));
    }
    if (fill != null && r.replay() != null) sb.append(", ").append(replayFigures(r.replay(), fill));
    return sb.toString();
  }

  static String replayFigures(ServerProcess.Replay replay, IngestResult fill) {
    double s = seconds(replay.duration());
    return String.format(Locale.ROOT, "replay %.2f s: %,d records, %.1f MB of WAL (%.0f MB/s), %.1f MB of lines (%.0f MB/s)",
        s, replay.records(), replay.walBytes() / 1e6, replay.walBytes() / 1e6 / s, fill.ackedLineBytes() / 1e6,
        fill.ackedLineBytes() / 1e6 / s);
  }

  static String summary(List<Run> runs, IngestResult fill) {
    List<Double> ready = runs.stream().map(r -> seconds(r.ready())).sorted().toList();
    String s = String.format(Locale.ROOT, "%s, %d runs: ready after %.3f s min, %.3f s median, %.3f s max",
        fill == null ? "startup with an empty WAL" : String.format(Locale.ROOT, "replay of %,d lines", fill.ackedLines()),
        runs.size(), ready.get(0), median(ready), ready.get(ready.size() - 1));
    List<Double> replay = runs.stream().filter(r -> r.replay() != null).map(r -> seconds(r.replay().duration())).sorted().toList();
    if (fill != null && !replay.isEmpty()) {
      s += String.format(Locale.ROOT, "; replay %.2f s min, %.2f s median (%.0f MB/s of lines), %.2f s max", replay.get(0),
          median(replay), fill.ackedLineBytes() / 1e6 / median(replay), replay.get(replay.size() - 1));
    }
    return s;
  }

  static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
