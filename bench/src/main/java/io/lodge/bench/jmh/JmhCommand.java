package io.lodge.bench.jmh;

import java.util.concurrent.Callable;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./lodge bench jmh [regex]}: runs the JMH micro-benchmarks of this package, briefly by default. */
@Command(name = "jmh", mixinStandardHelpOptions = true,
    description = "JMH micro-benchmarks (push decoding, WAL append, block codec, head append, select, metric queries).")
public final class JmhCommand implements Callable<Integer> {
  @Parameters(arity = "0..1", defaultValue = "io\\.lodge\\.bench\\.jmh\\..*", description = "benchmark regex (default: all)")
  String include;
  @Option(names = "--forks", defaultValue = "1", description = "forked JVMs per benchmark (default: ${DEFAULT-VALUE})")
  int forks;
  @Option(names = "--warmup", defaultValue = "2", description = "warmup iterations (default: ${DEFAULT-VALUE})")
  int warmup;
  @Option(names = "--iterations", defaultValue = "3", description = "measured iterations (default: ${DEFAULT-VALUE})")
  int iterations;
  @Option(names = "--time", defaultValue = "2", description = "seconds per iteration (default: ${DEFAULT-VALUE})")
  int seconds;
  @Option(names = "--prof", description = "a JMH profiler, e.g. gc or stack")
  String profiler;
  @Option(names = "--json", description = "also write the results as JSON to this file")
  String json;
  @Option(names = {"-p", "--param"}, description = "restrict a @Param, e.g. -p sync=false")
  java.util.Map<String, String> params;

  @Override
  public Integer call() throws RunnerException {
    ChainedOptionsBuilder b = new OptionsBuilder().include(include).forks(forks)
        .warmupIterations(warmup).warmupTime(TimeValue.seconds(seconds))
        .measurementIterations(iterations).measurementTime(TimeValue.seconds(seconds))
        // the forks inherit this JVM's options (JMH's default), which ./lodge bench takes from server/jvm.options
        .jvmArgsAppend("-Xmx2g");
    if (profiler != null) b.addProfiler(profiler);
    if (json != null) b.resultFormat(ResultFormatType.JSON).result(json);
    if (params != null) params.forEach(b::param);
    new Runner(b.build()).run();
    return 0;
  }
}
