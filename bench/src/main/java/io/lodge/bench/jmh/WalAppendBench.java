package io.lodge.bench.jmh;

import io.lodge.bench.BenchFiles;
import io.lodge.bench.load.LoghubLines;
import io.lodge.ingester.push.PushBodyDecoder;
import io.lodge.ingester.wal.WalMetrics;
import io.lodge.ingester.wal.WalOptions;
import io.lodge.ingester.wal.WalPosition;
import io.lodge.ingester.wal.WalWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * WAL appends with group commit ({@link WalWriter}): 4 threads each append one push record (1000
 * loghub lines, as the distributor encodes it) and wait until it is durable, so concurrent appends share
 * a write and, with {@code sync=true}, one fsync. Scores are lines per second. Segments are rolled and
 * deleted after each iteration to keep the disk footprint bounded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(4)
public class WalAppendBench {
  @Param({"true", "false"})
  public boolean sync;

  private Path dir;
  private WalWriter wal;
  private byte[] record;

  @Setup
  public void setup() throws IOException {
    LoghubLines data = BenchFixtures.lines();
    PushBodyDecoder decoder = BenchFixtures.decoder();
    record = BenchFixtures.walRecord(decoder, BenchFixtures.generator(data, BenchFixtures.STREAMS, 3));
    dir = BenchFixtures.tempDir("lodge-jmh-wal");
    wal = new WalWriter(dir, new WalOptions(sync, WalOptions.DEFAULT_SEGMENT_SIZE), new WalMetrics(new PrometheusRegistry()));
  }

  @TearDown(Level.Iteration)
  public void truncate() throws IOException {
    long id = wal.rollSegment().join();
    wal.deleteSegmentsBelow(id);
  }

  @TearDown
  public void close() throws IOException {
    wal.close();
    BenchFiles.deleteTree(dir);
  }

  @Benchmark
  @OperationsPerInvocation(BenchFixtures.LINES_PER_PUSH)
  public WalPosition appendAndWait() {
    return wal.append(record, p -> p).join();
  }
}
