package io.lodge.bench.load;

import java.util.Map;
import java.util.TreeMap;

/**
 * The server's own push latency, from the request-duration histogram on its {@code /metrics} (Lodge's
 * {@code lodge_request_duration_seconds}, Loki's {@code loki_request_duration_seconds}): successful pushes
 * only, summed over status codes. Two scrapes ({@link ServerMetrics}: warmup end, run end) give the
 * run's histogram; its quantiles are interpolated inside buckets as Prometheus' {@code histogram_quantile}
 * does. On a machine the generator shares with the server, this tells the server's latency apart from the
 * generator's own scheduling delays, which the client-side figures include.
 */
final class ServerPushLatency {
  private ServerPushLatency() {}

  /** The push route's 2xx buckets of a Prometheus text exposition, summed over label sets per bound. */
  static TreeMap<Double, Double> parse(String text) {
    return ServerMetrics.histogramBuckets(text, "(?:lodge|loki)_request_duration_seconds", labels ->
        (labels.contains("route=\"/loki/api/v1/push\"") || labels.contains("route=\"loki_api_v1_push\""))
            && labels.contains("status_code=\"2"));
  }

  /**
   * The q-quantile in seconds of the observations between two scrapes, or NaN when there are none:
   * linear inside the bucket that holds it, the last finite bound when it falls in +Inf.
   */
  static double quantile(double q, Map<Double, Double> before, TreeMap<Double, Double> after) {
    double total = after.lastEntry().getValue() - before.getOrDefault(after.lastKey(), 0.0);
    if (total <= 0) return Double.NaN;
    double rank = q * total, lowerBound = 0, lowerCount = 0;
    for (Map.Entry<Double, Double> e : after.entrySet()) {
      double count = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
      if (count >= rank) {
        if (e.getKey().isInfinite()) return lowerBound;
        double inBucket = count - lowerCount;
        return inBucket <= 0 ? e.getKey() : lowerBound + (e.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
      }
      lowerBound = e.getKey();
      lowerCount = count;
    }
    return lowerBound;
  }
}
