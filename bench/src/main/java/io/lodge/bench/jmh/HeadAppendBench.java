package io.lodge.bench.jmh;

import io.lodge.bench.BenchFiles;
import io.lodge.bench.load.PushBodyGenerator;
import io.lodge.ingester.Ingester;
import io.lodge.ingester.PushOutcome;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.push.PushBodyDecoder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
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

/**
 * The whole ingest pipeline below HTTP: {@code Ingester.pushService().push} of a decoded 1000-line
 * request (validation, limits, WAL record encoding, group commit with or without fsync, head append),
 * one request at a time. Each invocation pushes fresh entries (decoded in an untimed per-invocation
 * setup), so nothing is refused as a duplicate; the flusher runs as configured. Scores are lines/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HeadAppendBench {
  @Param({"true", "false"})
  public boolean walSync;

  private Path dir;
  private Ingester ingester;
  private PushBodyGenerator generator;
  private PushBodyDecoder decoder;
  private PushRequest next;

  @Setup
  public void setup() {
    dir = BenchFixtures.tempDir("lodge-jmh-head");
    ingester = new Ingester(BenchFixtures.config(dir, walSync), new PrometheusRegistry());
    ingester.start();
    generator = BenchFixtures.generator(BenchFixtures.lines(), 1000, 5);
    decoder = BenchFixtures.decoder();
  }

  @Setup(Level.Invocation)
  public void nextRequest() {
    next = BenchFixtures.decode(decoder, generator.next().body());
  }

  @TearDown
  public void close() {
    ingester.close();
    BenchFiles.deleteTree(dir);
  }

  @Benchmark
  @OperationsPerInvocation(BenchFixtures.LINES_PER_PUSH)
  public PushOutcome push() {
    PushOutcome o = ingester.pushService().push("fake", next).join();
    if (!o.isSuccess()) throw new IllegalStateException("push refused: " + o.status() + " " + o.message());
    return o;
  }
}
