package io.lodge.bench.jmh;

import io.lodge.bench.load.LoghubLines;
import io.lodge.config.LimitsConfig;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.validate.LevelDetector;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@code detected_level} discovery ({@link LevelDetector}) as the validator runs it on a stream without a
 * level label: the first 1000 lines of each loghub system as plain text, the same with the
 * {@code " req=<8 hex digits>"} suffix the load generator adds (a '=' in every line), and the same lines
 * wrapped as JSON and logfmt. Scores are lines per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LevelDetectBench {
  static final int LINES = BenchFixtures.SYSTEM_LINES;

  private final LevelDetector detector = new LevelDetector(LimitsConfig.DEFAULT_LOG_LEVEL_FIELDS);
  private final LabelSet stream = LabelSet.of("app", "bench", "service_name", "bench");
  private final List<Label> metadata = List.of();
  private byte[][] plain;
  private byte[][] withReq;
  private byte[][] structured;

  @Setup
  public void setup() {
    LoghubLines data = BenchFixtures.lines();
    plain = new byte[LINES][];
    withReq = new byte[LINES][];
    structured = new byte[LINES][];
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    byte[][] lines = BenchFixtures.firstLinesOfEachSystem(data);
    for (int i = 0; i < LINES; i++) {
      byte[] line = lines[i];
      plain[i] = line;
      withReq[i] = BenchFixtures.withReq(line, r);
      structured[i] = i % 2 == 0 ? BenchFixtures.asJson(line) : BenchFixtures.asLogfmt(line);
    }
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public void plainLines(Blackhole bh) {
    for (byte[] l : plain) bh.consume(detector.detect(stream, metadata, l));
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public void plainLinesWithReq(Blackhole bh) {
    for (byte[] l : withReq) bh.consume(detector.detect(stream, metadata, l));
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public void jsonAndLogfmt(Blackhole bh) {
    for (byte[] l : structured) bh.consume(detector.detect(stream, metadata, l));
  }
}
