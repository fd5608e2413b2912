package io.lodge.bench.load;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./lodge bench ingest}: pushes generated loghub lines to a Loki push endpoint and reports throughput. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Load generator speaking Loki's push protocol (protobuf + snappy). Prints a line per second and a summary.")
public final class IngestCommand implements Callable<Integer> {
  @Option(names = "--url", defaultValue = "http://127.0.0.1:3100", description = "server base URL (default: ${DEFAULT-VALUE})")
  URI url;
  @Option(names = "--streams", defaultValue = "1000", description = "distinct streams (default: ${DEFAULT-VALUE})")
  int streams;
  @Option(names = "--lines-per-push", defaultValue = "1000", description = "entries per push request (default: ${DEFAULT-VALUE})")
  int linesPerPush;
  @Option(names = "--streams-per-push", defaultValue = "10", description = "streams in each push request (default: ${DEFAULT-VALUE})")
  int streamsPerPush;
  @Option(names = "--duration", defaultValue = "10s", description = "how long to push, e.g. 10s, 2m (default: ${DEFAULT-VALUE})")
  Duration duration;
  @Option(names = "--warmup", defaultValue = "0s", description = "push this long first without counting it, e.g. 5s (default: ${DEFAULT-VALUE})")
  Duration warmup;
  @Option(names = "--rate", defaultValue = "0", description = "target lines/s, open loop; 0 = as fast as the server answers (default: ${DEFAULT-VALUE})")
  long rate;
  @Option(names = "--connections", defaultValue = "4", description = "concurrent HTTP connections (default: ${DEFAULT-VALUE})")
  int connections;
  @Option(names = "--generators", defaultValue = "1", description = "body-encoding threads (default: ${DEFAULT-VALUE})")
  int generators;
  @Option(names = "--tenant", description = "X-Scope-OrgID header (none by default)")
  String tenant;
  @Option(names = "--seed", defaultValue = "1", description = "random seed for line choice and req ids (default: ${DEFAULT-VALUE})")
  long seed;
  @Option(names = "--data", description = "directory of loghub *.log files (default: shared/data/loghub above the working directory)")
  Path data;
  @Option(names = "--pid", defaultValue = "0", description = "server pid for RSS/CPU from /proc (default: the local process listening on the URL's port)")
  long pid;
  @Option(names = "--dry-run", description = "only generate bodies, send nothing: measures the generator")
  boolean dryRun;
  @Option(names = "--pre-encode", description = "encode the measured window's bodies during the warmup (before the clock without"
      + " one; needs --rate), so the measured window's CPU goes to sending only: for a generator sharing the server's cores")
  boolean preEncode;
  @Option(names = "--scrape-interval", defaultValue = "15s", description = "scrape the server's /metrics this often for the"
      + " whole run, as a Prometheus would; 0s = only around the measured window (default: ${DEFAULT-VALUE})")
  Duration scrapeInterval;
  @Option(names = "--quiet", description = "print only the summary")
  boolean quiet;

  @Override
  public Integer call() throws InterruptedException {
    IngestOptions o = new IngestOptions(url, streams, linesPerPush, streamsPerPush, warmup, duration, rate, connections, generators,
        tenant, seed, data, pid, dryRun, preEncode, scrapeInterval, quiet);
    LoghubLines lines = LoghubLines.load(LoghubLines.locate(data));
    System.out.printf("pushing to %s: %d streams, %d lines/push over %d streams, %s, %s, %d connections%s%n",
        dryRun ? "nowhere (dry run)" : o.pushUri(), streams, linesPerPush, Math.min(streamsPerPush, streams), warmup.isZero() ? human(duration) : human(warmup) + " warmup + " + human(duration),
        rate == 0 ? "as fast as possible" : rate + " lines/s", connections, tenant == null ? "" : ", tenant " + tenant);
    IngestResult r = new IngestRun(o, lines, System.out).run();
    return r.ackedLines() > 0 && r.errors() == 0 ? 0 : 1;
  }

  static String human(Duration d) {
    return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }
}
