package io.lodge.bench.load;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The WAL fsyncs a Lodge server made, from the {@code lodge_wal_fsync_duration_seconds} histogram on its
 * {@code /metrics}: one sync per group commit, and every push waits for its group's (and for the one in
 * flight before it). Two scrapes give the run's count, mean, p99 and share over 10 ms: with the seal
 * summary, the other thing to look at when the server's push p99 is high. Other servers show none.
 */
final class ServerWalSyncs {
  private static final String NAME = "lodge_wal_fsync_duration_seconds";
  private static final Pattern SUM = Pattern.compile("^" + NAME + "_sum\\s+(\\S+)");
  /** The bound the "over" share is given for: a sync this long is a fifth of the push p99 target. */
  static final double SLOW_SECONDS = 0.01;

  /** A scrape of the histogram: cumulative counts by upper bound, the sum of the durations and their count. */
  record Syncs(TreeMap<Double, Double> buckets, double sumSeconds, double count) {
    static final Syncs NONE = new Syncs(new TreeMap<>(), 0, 0);
  }

  private ServerWalSyncs() {}

  /** The histogram in a Prometheus text exposition, or {@link Syncs#NONE} when it has none. */
  static Syncs parse(String text) {
    TreeMap<Double, Double> buckets = ServerMetrics.histogramBuckets(text, NAME, labels -> true);
    Double count = buckets.get(Double.POSITIVE_INFINITY);
    if (count == null) return Syncs.NONE;
    double sum = 0;
    for (String line : text.split("\n")) {
      Matcher m = SUM.matcher(line);
      if (!m.find()) continue;
      try {
        sum = Double.parseDouble(m.group(1));
      } catch (NumberFormatException e) {
        continue; // not a sample of ours: skipped like any other line
      }
    }
    return new Syncs(buckets, sum, count);
  }

  /**
   * What {@code run} (a {@link #delta}) says, e.g. {@code 20,583 syncs (686 a second), 2.36 ms mean, p99
   * 19.7 ms, 2.9% over 10 ms}; empty when the server made no sync in it or shows no such histogram.
   */
  static String describe(Syncs run, double seconds) {
    double n = run.count();
    if (run.buckets().isEmpty() || n <= 0) return "";
    double p99 = ServerPushLatency.quantile(0.99, Map.of(), run.buckets());
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%,d syncs (%,d a second), %.2f ms mean, p99 %.1f ms",
        Math.round(n), Math.round(n / seconds), run.sumSeconds() / n * 1e3, p99 * 1e3));
    Double upToSlow = run.buckets().get(SLOW_SECONDS);
    if (upToSlow != null) {
      b.append(String.format(Locale.ROOT, ", %.1f%% over %.0f ms", 100 * (n - upToSlow) / n, SLOW_SECONDS * 1e3));
    }
    return b.toString();
  }

  /** The difference of two scrapes as a {@link Syncs} of its own (bounds only in {@code after} count from zero). */
  static Syncs delta(Syncs before, Syncs after) {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    for (Map.Entry<Double, Double> e : after.buckets().entrySet()) {
      buckets.put(e.getKey(), e.getValue() - before.buckets().getOrDefault(e.getKey(), 0.0));
    }
    return new Syncs(buckets, after.sumSeconds() - before.sumSeconds(), after.count() - before.count());
  }
}
