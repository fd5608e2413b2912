package io.lodge.bench.jmh;

import io.lodge.bench.BenchFiles;
import io.lodge.bench.load.LoghubLines;
import io.lodge.ingester.push.PushBodyDecoder;
import io.lodge.ingester.wal.ReplayStats;
import io.lodge.ingester.wal.WalMetrics;
import io.lodge.ingester.wal.WalOptions;
import io.lodge.ingester.wal.WalReplay;
import io.lodge.ingester.wal.WalWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * WAL replay ({@link WalReplay}) of one segment of 20 push records (1000 loghub lines each) with the
 * tails a crash leaves: none, the last record cut in half (the process killed inside a write), or 8 MiB
 * of zeros after the last record (space the file system extended but never wrote). Replay searches a
 * damaged tail for a valid frame before it cuts it, so this is what such a tail adds to startup.
 * Scores are milliseconds per replay; the segment is written back before each one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class WalReplayTailBench {
  private static final int RECORDS = 20;
  private static final int ZERO_TAIL = 8 << 20;

  @Param({"none", "half-record", "zeros"})
  public String tail;

  private Path dir;
  private Path segment;
  private byte[] file;

  @Setup
  public void setup() throws IOException {
    LoghubLines data = BenchFixtures.lines();
    PushBodyDecoder decoder = BenchFixtures.decoder();
    var bodies = BenchFixtures.generator(data, BenchFixtures.STREAMS, 5);
    dir = BenchFixtures.tempDir("lodge-jmh-replay");
    int lastRecord = 0;
    try (WalWriter wal = new WalWriter(dir, new WalOptions(false, 1L << 30), new WalMetrics(new PrometheusRegistry()))) {
      for (int i = 0; i < RECORDS; i++) {
        byte[] record = BenchFixtures.walRecord(decoder, bodies);
        wal.append(record, Function.identity()).join();
        lastRecord = record.length;
      }
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.wal")) {
      segment = ds.iterator().next();
    }
    byte[] written = Files.readAllBytes(segment);
    file = switch (tail) {
      case "none" -> written;
      case "half-record" -> Arrays.copyOf(written, written.length - lastRecord / 2);
      case "zeros" -> Arrays.copyOf(written, written.length + ZERO_TAIL);
      default -> throw new IllegalArgumentException("unknown tail " + tail);
    };
  }

  @Setup(Level.Invocation)
  public void restore() throws IOException {
    Files.write(segment, file);
  }

  @TearDown
  public void close() throws IOException {
    BenchFiles.deleteTree(dir);
  }

  @Benchmark
  public long replay() throws IOException {
    ReplayStats stats = WalReplay.replay(dir, false, (pos, payload) -> {});
    if (stats.records() < RECORDS - 1) throw new IllegalStateException("replayed only " + stats.records() + " records");
    return stats.bytes();
  }
}
