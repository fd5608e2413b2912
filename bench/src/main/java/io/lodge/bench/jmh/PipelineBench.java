package io.lodge.bench.jmh;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ast.LogQuery;
import io.lodge.querier.pipeline.PipelineResult;
import io.lodge.querier.pipeline.Pipelines;
import io.lodge.querier.pipeline.StreamPipeline;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * LogQL pipeline stages as the querier runs them on each entry ({@link StreamPipeline#process}): the
 * line filters (a literal {@code |=}, a case-insensitive {@code |~ "(?i)..."}, a regex RE2 must run) over
 * the first 1000 lines of each loghub system, and the {@code json} and {@code logfmt} parsers over the
 * same lines wrapped as JSON objects and logfmt records with a {@code msg} field. Scores are lines per
 * second; the setup prints the lines' mean length, to turn them into bytes per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PipelineBench {
  static final int LINES = BenchFixtures.SYSTEM_LINES;

  @Param({"literal", "case-insensitive", "regex", "json", "logfmt"})
  public String stage;

  private StreamPipeline pipeline;
  private byte[][] lines;
  private final List<Label> metadata = List.of();

  @Setup
  public void setup() {
    String query = switch (stage) {
      case "literal" -> "{app=\"bench\"} |= \"error\"";
      case "case-insensitive" -> "{app=\"bench\"} |~ \"(?i)error\"";
      case "regex" -> "{app=\"bench\"} |~ \"fail(ed|ure)|denied|error [0-9]+\"";
      case "json" -> "{app=\"bench\"} | json";
      case "logfmt" -> "{app=\"bench\"} | logfmt";
      default -> throw new IllegalArgumentException("unknown stage " + stage);
    };
    pipeline = Pipelines.compile(((LogQuery) LogqlParser.parse(query)).stages()).forStream(LabelSet.of("app", "bench"));
    byte[][] firstLines = BenchFixtures.firstLinesOfEachSystem(BenchFixtures.lines());
    lines = new byte[LINES][];
    long bytes = 0;
    for (int i = 0; i < LINES; i++) {
      byte[] line = firstLines[i];
      lines[i] = switch (stage) {
        case "json" -> BenchFixtures.asJson(line);
        case "logfmt" -> BenchFixtures.asLogfmt(line);
        default -> line;
      };
      bytes += lines[i].length;
    }
    int kept = 0;
    for (byte[] l : lines) if (pipeline.process(0, l, metadata) != null) kept++;
    System.out.printf(Locale.ROOT, "%n%s: %s, %,d lines of %.1f bytes on average, %,d kept%n", stage, query, LINES,
        (double) bytes / LINES, kept);
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public void process(Blackhole bh) {
    for (byte[] l : lines) {
      PipelineResult r = pipeline.process(0, l, metadata);
      bh.consume(r);
    }
  }
}
