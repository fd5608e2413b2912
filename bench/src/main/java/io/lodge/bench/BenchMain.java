package io.lodge.bench;

import io.lodge.bench.jmh.JmhCommand;
import io.lodge.bench.load.IngestCommand;
import io.lodge.bench.metric.MetricCommand;
import io.lodge.bench.query.QueryCommand;
import io.lodge.bench.restart.RestartCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./lodge bench}: the push load generator, the query and restart benchmarks and the JMH micro-benchmarks. */
@Command(name = "lodge bench", mixinStandardHelpOptions = true,
    description = "Benchmarks for Lodge or any Loki-compatible server.",
    subcommands = {IngestCommand.class, QueryCommand.class, MetricCommand.class, RestartCommand.class, JmhCommand.class, CommandLine.HelpCommand.class})
public final class BenchMain implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line (also used by the tests). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new BenchMain());
    cl.registerConverter(java.time.Duration.class, new DurationConverter());
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }
}
