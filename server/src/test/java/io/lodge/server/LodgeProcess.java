package io.lodge.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Lodge server in a child JVM (the test's own class path), for tests that kill it with SIGKILL
 * and start it again on the same data. Its stderr goes to a log file in the data directory. Every start
 * listens on a port free a moment before (another process could take one between a kill and the next
 * start): {@link #uri} always names the current one.
 */
final class LodgeProcess implements AutoCloseable {
  /** Starts whose port was taken before the child bound it are retried this often, each on a new port. */
  private static final int BIND_ATTEMPTS = 3;

  private final Path configFile;
  private final Path logFile;
  private volatile int port;
  private Process process;

  LodgeProcess(Path configFile, Path logFile) {
    this.configFile = configFile;
    this.logFile = logFile;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  /**
   * The JVM options ./lodge run starts the server with (server/jvm.options, a java argument file), as
   * pom.xml names it in {@code lodge.jvm.options}; else found from the server module's directory.
   */
  static Path jvmOptions() {
    String prop = System.getProperty("lodge.jvm.options");
    Path p = (prop != null ? Path.of(prop) : Path.of("jvm.options")).toAbsolutePath();
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("the server's JVM options file " + p + " is missing: set -Dlodge.jvm.options");
    }
    return p;
  }

  /** Starts the child JVM on a free port and waits until /ready answers 200. */
  void start(Duration readyTimeout) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      port = freePort();
      try {
        startOnPort(readyTimeout);
        return;
      } catch (IllegalStateException e) {
        boolean portTaken = e.getMessage().contains("Address already in use");
        if (!portTaken || attempt == BIND_ATTEMPTS) throw e;
      }
    }
  }

  private void startOnPort(Duration readyTimeout) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "@" + jvmOptions(),
        "-cp", System.getProperty("java.class.path"), "io.lodge.server.Main",
        "-config.file=" + configFile, "-server.http-listen-port=" + port));
    process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("lodge exited with " + process.exitValue() + ":\n" + tail());
      }
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/ready")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) return;
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("lodge not ready within " + readyTimeout + ":\n" + tail());
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  /** SIGTERM and wait for a clean exit; returns the exit code. */
  int stop() throws InterruptedException {
    if (process == null) return 0;
    process.destroy();
    if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("lodge did not stop within 60 s after SIGTERM:\n" + tail());
    }
    return process.exitValue();
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(logFile);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
