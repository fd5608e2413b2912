package io.lodge.bench.load;

import java.util.Locale;
import java.util.Map;

/**
 * The totals of one load run: acknowledged lines and their raw line bytes, compressed bytes sent, pushes
 * by HTTP status (-1 = connection or I/O failure), push latency in microseconds, and the server's RSS and
 * CPU seconds used during the run when /proc showed the process (else -1), the load generator's own
 * CPU seconds (else -1): on a shared machine it competes with the server, the server's own push
 * latency quantiles in seconds from its {@code /metrics} histogram (NaN or -1 when it has none), and the
 * server's CPU seconds by thread group during the run, largest first (empty without /proc), and its
 * garbage collections during the run by collector, from its {@code /metrics} (empty when it shows none), and
 * where it compressed its head blocks during the run (Lodge's seal counters; empty for other servers), and
 * its WAL fsyncs during the run (Lodge's sync histogram; {@code Syncs.NONE} for other servers).
 */
public record IngestResult(
    long ackedLines,
    long ackedLineBytes,
    long wireBytes,
    long pushes,
    Map<Integer, Long> statusCounts,
    double seconds,
    long p50Micros,
    long p99Micros,
    long maxMicros,
    long generatorStalls,
    long serverRssBytes,
    double serverCpuSeconds,
    double generatorCpuSeconds,
    double serverP50Seconds,
    double serverP99Seconds,
    Map<String, Double> serverThreadCpu,
    java.util.List<ServerGc.Collector> serverGc,
    java.util.List<ServerSeals.Where> serverSeals,
    ServerWalSyncs.Syncs serverWalSyncs) {
  /** Thread groups named in {@link #details()}; the rest are summed. */
  static final int THREADS_SHOWN = 8;

  public long errors() {
    return statusCounts.entrySet().stream().filter(e -> e.getKey() < 200 || e.getKey() > 299)
        .mapToLong(Map.Entry::getValue).sum();
  }

  public double linesPerSecond() {
    return ackedLines / seconds;
  }

  public double megabytesPerSecond() {
    return ackedLineBytes / seconds / 1e6;
  }

  /** The headline, e.g. {@code 412,000 lines/s, 81.2 MB/s, p99 38 ms}. */
  public String headline() {
    return String.format(Locale.ROOT, "%,d lines/s, %.1f MB/s, p99 %s", Math.round(linesPerSecond()),
        megabytesPerSecond(), IngestRun.millis(p99Micros));
  }

  /** Every figure, one per line, for the end of a run. */
  public String details() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "lines      %,d acknowledged in %.1f s (%,d pushes)%n", ackedLines, seconds, pushes));
    b.append(String.format(Locale.ROOT, "bytes      %,d line bytes (%.1f MB/s), %,d sent compressed (%.1f MB/s)%n",
        ackedLineBytes, megabytesPerSecond(), wireBytes, wireBytes / seconds / 1e6));
    b.append("statuses   ").append(statusCounts.isEmpty() ? "none" : statusCounts.toString().replace("-1=", "io-error=")).append('\n');
    b.append(String.format(Locale.ROOT, "errors     %,d%n", errors()));
    b.append(String.format(Locale.ROOT, "latency    p50 %s, p99 %s, max %s%n", IngestRun.millis(p50Micros),
        IngestRun.millis(p99Micros), IngestRun.millis(maxMicros)));
    if (serverP99Seconds >= 0) {
      b.append(String.format(Locale.ROOT, "server     push latency by its /metrics histogram: p50 %.1f ms, p99 %.1f ms"
          + " (the client figures above also hold the generator's own waits for the shared CPUs)%n",
          serverP50Seconds * 1e3, serverP99Seconds * 1e3));
    }
    if (generatorStalls > 0) {
      b.append(String.format(Locale.ROOT, "generator  %,d of %,d pushes waited for a body to be encoded (%.1f%%)%n", generatorStalls,
          pushes, 100.0 * generatorStalls / Math.max(1, pushes)));
    }
    if (serverRssBytes >= 0) {
      b.append(String.format(Locale.ROOT, "server     RSS %,d MB at the end, %.1f CPU s during the run, %.2f CPU s per million lines%n",
          serverRssBytes >> 20, serverCpuSeconds, ackedLines == 0 ? 0.0 : serverCpuSeconds / (ackedLines / 1e6)));
    }
    if (!serverThreadCpu.isEmpty() && serverCpuSeconds > 0) {
      b.append("server     CPU by thread:");
      int shown = 0;
      double rest = serverCpuSeconds;
      for (Map.Entry<String, Double> e : serverThreadCpu.entrySet()) {
        if (shown++ == THREADS_SHOWN) break;
        b.append(String.format(Locale.ROOT, "%s %s %.1f s (%.0f%%)", shown == 1 ? "" : ",", e.getKey(), e.getValue(),
            100 * e.getValue() / serverCpuSeconds));
        rest -= e.getValue();
      }
      b.append(String.format(Locale.ROOT, ", other threads %.1f s%n", Math.max(0, rest)));
    }
    if (!serverGc.isEmpty()) {
      b.append("server     GC during the run: ").append(ServerGc.describe(serverGc)).append('\n');
    }
    String seals = ServerSeals.describe(serverSeals);
    if (!seals.isEmpty()) b.append("server     blocks compressed during the run: ").append(seals).append('\n');
    String syncs = ServerWalSyncs.describe(serverWalSyncs, seconds);
    if (!syncs.isEmpty()) b.append("server     WAL fsyncs during the run: ").append(syncs).append('\n');
    if (generatorCpuSeconds >= 0) {
      b.append(String.format(Locale.ROOT, "generator  %.1f CPU s in this process (encoding, HTTP client)%n", generatorCpuSeconds));
    }
    return b.toString();
  }
}
