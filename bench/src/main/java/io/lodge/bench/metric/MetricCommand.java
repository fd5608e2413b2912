package io.lodge.bench.metric;

import io.lodge.bench.load.LoghubLines;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./lodge bench metric}: builds a {@link MetricDataset} in-process (pushed through the ingester's
 * push service and flushed to chunks), then evaluates the {@link MetricQueries#MIX} over the whole range
 * {@code --runs} times each and prints wall time, CPU time and entries/s, overall and per core. Fails
 * (exit 1) when the count query does not add up to the entries pushed.
 */
@Command(name = "metric", mixinStandardHelpOptions = true,
    description = "LogQL metric query evaluation (count_over_time, quantile_over_time with unwrap) over an in-process dataset.")
public final class MetricCommand implements Callable<Integer> {
  @Option(names = "--streams", defaultValue = "100", description = "streams (default: ${DEFAULT-VALUE})")
  int streams;
  @Option(names = "--entries-per-stream", defaultValue = "100000", description = "entries per stream (default: ${DEFAULT-VALUE})")
  int entriesPerStream;
  @Option(names = "--span", defaultValue = "3h", description = "time the entries are spread over (default: ${DEFAULT-VALUE})")
  Duration span;
  @Option(names = "--step", defaultValue = "1m", description = "query step (default: ${DEFAULT-VALUE})")
  Duration step;
  @Option(names = "--runs", defaultValue = "3", description = "evaluations per query; the first is reported as cold (default: ${DEFAULT-VALUE})")
  int runs;
  @Option(names = "--lanes", defaultValue = "4", description = "concurrent pushers while loading (default: ${DEFAULT-VALUE})")
  int lanes;
  @Option(names = "--discover-levels", description = "keep detected_level discovery on while loading (slower load)")
  boolean discoverLevels;
  @Option(names = "--query", description = "only the named queries of the mix (count, quantile, instant)")
  List<String> only;
  @Option(names = "--parallelism", split = ",", description = "threads a query evaluates on; a list (1,2) runs the "
      + "mix once per value, back to back on the same dataset (default: available processors)")
  List<Integer> parallelism;
  @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
  long seed;
  @Option(names = "--data", description = "directory of loghub *.log files")
  Path data;
  @Option(names = "--dir", description = "data directory for the ingester (default: a temp directory, deleted at the end)")
  Path dir;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    MetricDataset.Spec ds = new MetricDataset.Spec(streams, entriesPerStream, span.toNanos(), seed, lanes, discoverLevels);
    out.printf(Locale.ROOT, "loading %,d entries (%d streams x %,d) over %s, %d push lanes ...%n", ds.entries(), streams,
        entriesPerStream, span, ds.lanes());
    out.flush();
    double load1 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    try (MetricDataset dataset = MetricDataset.build(ds, LoghubLines.load(LoghubLines.locate(data)), dir)) {
      out.printf(Locale.ROOT, "loaded and flushed in %.1f s (%,.0f entries/s, %,.1f MB of lines); load average %.2f%n",
          dataset.loadSeconds(), dataset.entries() / dataset.loadSeconds(), dataset.lineBytes() / 1e6, load1);
      List<Integer> levels = parallelism == null ? List.of(Runtime.getRuntime().availableProcessors()) : parallelism;
      boolean consistent = true;
      Map<String, Double> totals = new java.util.HashMap<>();
      for (int level : levels) {
        MetricQueries queries = new MetricQueries(dataset, step.toNanos(), level);
        out.printf(Locale.ROOT, "grid: %d steps of %s; %d available processors; parallelism %d%n", queries.grid().points(),
            step, Runtime.getRuntime().availableProcessors(), queries.parallelism());
        out.printf("%-9s %-5s %9s %9s %9s %13s %13s %13s %6s %8s %7s %7s %14s %6s %10s%n", "query", "run", "wall",
            "eval cpu", "proc cpu", "entries/s", "/eval-core s", "/proc-cpu s", "cores", "B/entry", "series", "points",
            "total", "load1", "max thread");
        for (Map.Entry<String, String> q : MetricQueries.MIX.entrySet()) {
          if (only != null && !only.contains(q.getKey())) continue;
          List<MetricMeasurement> ms = new ArrayList<>();
          for (int r = 0; r < Math.max(1, runs); r++) {
            MetricMeasurement m = queries.measure(q.getKey(), q.getValue());
            ms.add(m);
            print(out, m, r == 0 ? "cold" : "warm" + r);
          }
          MetricMeasurement last = ms.get(ms.size() - 1);
          if ((q.getKey().equals("count") || q.getKey().equals("instant")) && Math.round(last.total()) != dataset.entries()) {
            out.printf(Locale.ROOT, "INCONSISTENT: count query adds up to %.0f, %,d entries were pushed%n", last.total(),
                dataset.entries());
            consistent = false;
          }
          Double earlier = totals.putIfAbsent(q.getKey(), last.total());
          for (MetricMeasurement m : ms) {
            if (m.total() != last.total() || m.points() != last.points() || (earlier != null && earlier != m.total())) {
              out.printf("INCONSISTENT: %s gave different results between runs%n", q.getKey());
              consistent = false;
              break;
            }
          }
        }
      }
      out.printf("queries:%n");
      MetricQueries.MIX.forEach((k, v) -> out.printf("  %-9s %s%n", k, v));
      out.printf(Locale.ROOT, "load average at the end: %.2f%n",
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      out.flush();
      return consistent ? 0 : 1;
    }
  }

  private static void print(PrintWriter out, MetricMeasurement m, String run) {
    out.printf(Locale.ROOT,
        "%-9s %-5s %7.2f s %7.2f s %7.2f s %,13.0f %,13.0f %,13.0f %6.2f %8.1f %7d %7d %,14.3f %6.2f %8.2f s%n",
        m.name(), run, m.wallNanos() / 1e9, m.threadCpuNanos() / 1e9, m.processCpuNanos() / 1e9, m.entriesPerSecond(),
        m.entriesPerThreadCpuSecond(), m.entriesPerProcessCpuSecond(), m.coresUsed(), m.allocatedPerEntry(), m.series(),
        m.points(), m.total(), m.loadAverage(), m.busiestThreadCpuNanos() / 1e9);
    out.flush();
  }
}
