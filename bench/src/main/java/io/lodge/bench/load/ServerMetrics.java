package io.lodge.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a server's Prometheus {@code /metrics}, read by {@link ServerPushLatency}, {@link ServerGc},
 * {@link ServerSeals} and {@link ServerWalSyncs}.
 */
final class ServerMetrics {
  private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");

  private ServerMetrics() {}

  /** The server's {@code /metrics} text, or empty when it has none or does not answer. */
  static Optional<String> fetch(URI base) {
    String url = base.toString();
    URI metrics = URI.create((url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + "/metrics");
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * The cumulative buckets of the histogram whose name matches {@code name} (a regex, without
   * {@code _bucket}), by upper bound, summed over the label sets {@code labels} accepts; lines whose value
   * is not a number are skipped.
   */
  static TreeMap<Double, Double> histogramBuckets(String text, String name, Predicate<String> labels) {
    Pattern bucket = Pattern.compile("^" + name + "_bucket\\{([^}]*)\\}\\s+(\\S+)");
    TreeMap<Double, Double> out = new TreeMap<>();
    for (String line : text.split("\n")) {
      Matcher m = bucket.matcher(line);
      if (!m.find() || !labels.test(m.group(1))) continue;
      Matcher le = LE.matcher(m.group(1));
      if (!le.find()) continue;
      try {
        double bound = le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
        out.merge(bound, Double.parseDouble(m.group(2)), Double::sum);
      } catch (NumberFormatException e) {
        continue; // not a sample: skipped like any other line
      }
    }
    return out;
  }

  /**
   * What each named series of counters did between two scrapes: each of {@code after} less its namesake in
   * {@code before} ({@code minus}), in {@code after}'s order; one only in {@code after} counts from zero.
   */
  static <T> List<T> delta(List<T> before, List<T> after, Function<T, String> name, BinaryOperator<T> minus) {
    Map<String, T> earlier = new HashMap<>();
    for (T b : before) earlier.put(name.apply(b), b);
    List<T> out = new ArrayList<>(after.size());
    for (T a : after) {
      T b = earlier.get(name.apply(a));
      out.add(b == null ? a : minus.apply(a, b));
    }
    return out;
  }
}
