package io.lodge.bench.restart;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code ./lodge run} (or any launcher taking the same arguments) as a child process on a data
 * directory of its own, its output in a log file: started, timed to its first 200 from {@code /ready},
 * and stopped with SIGTERM (a clean stop, which also writes the launcher's class-data archive) or SIGKILL.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern REPLAY = Pattern.compile(
      "msg=\"WAL replay finished\".*?records=(\\d+) bytes=(\\d+).*?duration=(PT[0-9.HMS]+)");
  private static final Pattern UPTIME = Pattern.compile("jvm_uptime_ms=(\\d+)");

  private final Process process;
  private final Path log;
  private final long startedNanos;
  private final int port;

  /** What the server's log says of its WAL replay: records and WAL bytes read, and how long it took. */
  record Replay(long records, long walBytes, Duration duration) {}

  private ServerProcess(Process process, Path log, long startedNanos, int port) {
    this.process = process;
    this.log = log;
    this.startedNanos = startedNanos;
    this.port = port;
  }

  /**
   * Starts {@code launcher run -config.file=config -config.expand-env=true} with the environment of
   * {@code bench/lodge-bench.yaml} ({@code env}: LODGE_BENCH_PORT, LODGE_BENCH_DATA, ...), its output
   * going to {@code log}.
   */
  static ServerProcess start(Path launcher, Path config, int port, Map<String, String> env, Path log) throws IOException {
    List<String> command = new ArrayList<>(List.of(launcher.toString(), "run",
        "-config.file=" + config, "-config.expand-env=true"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    long started = System.nanoTime();
    return new ServerProcess(pb.start(), log, started, port);
  }

  /** Polls {@code /ready} every 10 ms until it answers 200; returns the time since start. */
  Duration awaitReady(Duration timeout) throws IOException, InterruptedException {
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
        .timeout(Duration.ofSeconds(2)).build();
    long deadline = startedNanos + timeout.toNanos();
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IOException("the server exited with status " + process.exitValue() + " before it was ready; its log: " + log);
        }
        try {
          if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return Duration.ofNanos(System.nanoTime() - startedNanos);
          }
        } catch (IOException notListeningYet) {
          // connection refused until the HTTP server binds: poll again
        }
        Thread.sleep(10);
      }
    }
    throw new IOException("the server was not ready within " + timeout + "; its log: " + log);
  }

  /** The process id (the JVM's: the launcher execs java). */
  long pid() {
    return process.pid();
  }

  /** The WAL replay the server logged, if it did yet. */
  Optional<Replay> replay() throws IOException {
    return parseReplay(Files.readString(log));
  }

  /** The JVM's uptime when the server logged its startup timing, if it did yet. */
  Optional<Duration> uptimeAtReady() throws IOException {
    Matcher m = UPTIME.matcher(Files.readString(log));
    return m.find() ? Optional.of(Duration.ofMillis(Long.parseLong(m.group(1)))) : Optional.empty();
  }

  static Optional<Replay> parseReplay(String logText) {
    Matcher m = REPLAY.matcher(logText);
    if (!m.find()) return Optional.empty();
    return Optional.of(new Replay(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Duration.parse(m.group(3))));
  }

  /** SIGKILL, as a crash would: the WAL stays as it is. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM and wait for the clean stop (at most {@code timeout}, then SIGKILL). */
  void stop(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) kill();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) kill();
  }
}
