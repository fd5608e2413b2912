package io.lodge.bench.restart;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.bench.BenchMain;
import io.lodge.bench.load.IngestResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench restart} starting real servers as child processes (through a launcher script that runs
 * this module's class path, as {@code ./lodge run} runs the built jars): a WAL filled by the load
 * generator and SIGKILLed is replayed in full by every timed start; and the server log lines it reads.
 */
class RestartCommandTest {
  @TempDir Path dir;

  @Test
  void everyRunReplaysTheWholeFilledWal() throws Exception {
    StringWriter text = new StringWriter();
    CommandLine cl = BenchMain.commandLine();
    cl.setOut(new PrintWriter(text));
    int code = cl.execute("restart", "--launcher", launcher().toString(), "--config", "lodge-bench.yaml",
        "--port", Integer.toString(freePort()), "--grpc-port", Integer.toString(freePort()), "--dir", dir.resolve("work").toString(),
        "--fill", "1s", "--fill-rate", "20000", "--runs", "2", "--pause", "0s");
    String out = text.toString();
    assertThat(code).as(out).isZero();
    // 1 s at 20,000 lines/s in pushes of 1,000 lines: 20 records, each replayed by both runs
    Matcher run = Pattern.compile("run (\\d): ready after [\\d.]+ s.*replay [\\d.]+ s: (\\d+) records, ([\\d.]+) MB of WAL").matcher(out);
    int runs = 0;
    while (run.find()) {
      runs++;
      assertThat(run.group(2)).as(out).isEqualTo("20");
      assertThat(Double.parseDouble(run.group(3))).as(out).isGreaterThan(0);
    }
    assertThat(runs).as(out).isEqualTo(2);
    assertThat(out).contains("replay of 20,000 lines, 2 runs: ready after");
  }

  @Test
  void readsTheReplayFromTheServerLog() {
    String log = """
        ts=2026-11-28T15:17:56.684Z level=info caller=Ingester msg="head line pages live off the heap" limit_bytes=536870912
        ts=2026-11-28T15:17:56.879Z level=info caller=Ingester msg="WAL replay finished" segments=3 records=4500 bytes=282500000 streams=1000 duration=PT4.531S
        """;
    assertThat(ServerProcess.parseReplay(log)).contains(new ServerProcess.Replay(4500, 282_500_000, Duration.ofMillis(4531)));
    assertThat(ServerProcess.parseReplay("ts=... msg=\"Lodge is ready\"")).isEmpty();
  }

  @Test
  void summarisesTheMedianOfTheRuns() {
    IngestResult fill = new IngestResult(4_500_000, 676_000_000, 0, 4500, Map.of(204, 4500L), 15, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        Map.of(), List.of(), List.of(), null);
    List<RestartCommand.Run> runs = List.of(
        run(5.1, 4.0), run(4.6, 3.38), run(4.4, 3.2));
    String s = RestartCommand.summary(runs, fill);
    assertThat(s).isEqualTo("replay of 4,500,000 lines, 3 runs: ready after 4.400 s min, 4.600 s median, 5.100 s max;"
        + " replay 3.20 s min, 3.38 s median (200 MB/s of lines), 4.00 s max");
    assertThat(RestartCommand.median(List.of(1.0, 2.0, 3.0, 10.0))).isEqualTo(2.5);
  }

  private static RestartCommand.Run run(double ready, double replay) {
    return new RestartCommand.Run(Duration.ofMillis(Math.round(ready * 1000)), null, 1, 1 << 20,
        new ServerProcess.Replay(4500, 282_500_000, Duration.ofMillis(Math.round(replay * 1000))));
  }

  /** A launcher taking `run ARGS...` like ./lodge, running the server from this JVM's class path. */
  private Path launcher() throws IOException {
    Path script = dir.resolve("launcher");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(script, """
        #!/bin/sh
        shift
        exec '%s' -Xmx512m --enable-native-access=ALL-UNNAMED -cp '%s' io.lodge.server.Main "$@"
        """.formatted(java, System.getProperty("java.class.path")));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
