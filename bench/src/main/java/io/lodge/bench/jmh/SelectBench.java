package io.lodge.bench.jmh;

import io.lodge.bench.BenchFiles;
import io.lodge.bench.load.PushBodyGenerator;
import io.lodge.ingester.Ingester;
import io.lodge.ingester.PushOutcome;
import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.push.PushBodyDecoder;
import io.lodge.ingester.read.Direction;
import io.lodge.ingester.read.EntryIterator;
import io.lodge.ingester.read.SelectRequest;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * The reader's select over flushed chunks ({@code LogReader.select}): 200,000 loghub lines in 100 streams
 * are pushed and flushed, then every entry of {@code {job="lodge-bench"}} (the k-way merge over all
 * chunks, decoding every block) or of one stream is read forward. Scores are entries per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SelectBench {
  static final int PUSHES = 200;
  static final int ENTRIES = PUSHES * BenchFixtures.LINES_PER_PUSH;

  private Path dir;
  private Ingester ingester;
  private SelectRequest all;
  private SelectRequest oneStream;

  @Setup
  public void setup() {
    dir = BenchFixtures.tempDir("lodge-jmh-select");
    ingester = new Ingester(BenchFixtures.config(dir, false), new PrometheusRegistry());
    ingester.start();
    PushBodyGenerator gen = BenchFixtures.generator(BenchFixtures.lines(), BenchFixtures.STREAMS, 9);
    PushBodyDecoder decoder = BenchFixtures.decoder();
    for (int i = 0; i < PUSHES; i++) {
      PushOutcome o = ingester.pushService().push("fake", BenchFixtures.decode(decoder, gen.next().body())).join();
      if (!o.isSuccess()) throw new IllegalStateException("push refused: " + o.status() + " " + o.message());
    }
    int flushed = ingester.flushAll();
    if (flushed == 0) throw new IllegalStateException("nothing flushed");
    all = new SelectRequest("fake", List.of(LabelMatcher.eq("job", "lodge-bench")), 0, Long.MAX_VALUE, Direction.FORWARD);
    oneStream = new SelectRequest("fake", List.of(LabelMatcher.eq("instance", "s00007")), 0, Long.MAX_VALUE, Direction.FORWARD);
    long n = count(all);
    if (n != ENTRIES) throw new IllegalStateException("expected " + ENTRIES + " entries after flush, read " + n);
  }

  @TearDown
  public void close() {
    ingester.close();
    BenchFiles.deleteTree(dir);
  }

  private long count(SelectRequest r) {
    long n = 0;
    try (EntryIterator it = ingester.reader().select(r)) {
      while (it.next()) n += it.line().length > 0 ? 1 : 0;
    }
    return n;
  }

  @Benchmark
  @OperationsPerInvocation(ENTRIES)
  public long selectAllStreams() {
    return count(all);
  }

  @Benchmark
  @OperationsPerInvocation(ENTRIES / BenchFixtures.STREAMS)
  public long selectOneStream() {
    return count(oneStream);
  }
}
