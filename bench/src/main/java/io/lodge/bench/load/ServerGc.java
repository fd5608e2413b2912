package io.lodge.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's garbage collections, by collector, from its {@code /metrics}: a JVM's
 * {@code jvm_gc_collection_seconds} (Lodge; one series per collector, e.g. {@code G1 Young Generation},
 * {@code G1 Old Generation} for full collections) or Go's {@code go_gc_duration_seconds} (Loki). Two
 * scrapes give the run's collections; in a small heap they explain a rate that swings from run to run.
 */
final class ServerGc {
  private static final Pattern JVM = Pattern.compile(
      "^jvm_gc_collection_seconds_(count|sum)\\{[^}]*gc=\"([^\"]+)\"[^}]*\\}\\s+(\\S+)");
  private static final Pattern GO = Pattern.compile("^go_gc_duration_seconds_(count|sum)(?:\\{[^}]*\\})?\\s+(\\S+)");

  /** Collections and the seconds they took, for one collector. */
  record Collector(String name, long count, double seconds) {}

  private ServerGc() {}

  /** Collectors in exposition order, with their totals since the server started. */
  static List<Collector> parse(String text) {
    Map<String, double[]> byName = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      Matcher m = JVM.matcher(line);
      String kind, name, value;
      if (m.find()) {
        kind = m.group(1);
        name = m.group(2);
        value = m.group(3);
      } else {
        Matcher g = GO.matcher(line);
        if (!g.find()) continue;
        kind = g.group(1);
        name = "go";
        value = g.group(2);
      }
      double v;
      try {
        v = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        continue; // not a sample of ours (a differently shaped exposition): skip it, as for any other line
      }
      byName.computeIfAbsent(name, k -> new double[2])[kind.equals("count") ? 0 : 1] = v;
    }
    List<Collector> out = new ArrayList<>();
    byName.forEach((n, cs) -> out.add(new Collector(n, Math.round(cs[0]), cs[1])));
    return out;
  }

  /** What each collector did between two scrapes (collectors only in {@code after} count from zero). */
  static List<Collector> delta(List<Collector> before, List<Collector> after) {
    return ServerMetrics.delta(before, after, Collector::name,
        (a, b) -> new Collector(a.name(), a.count() - b.count(), a.seconds() - b.seconds()));
  }

  /** e.g. {@code G1 Young Generation 517 (4.8 s), G1 Old Generation 28 (1.7 s)}. */
  static String describe(List<Collector> collectors) {
    StringBuilder b = new StringBuilder();
    for (Collector c : collectors) {
      if (b.length() > 0) b.append(", ");
      b.append(String.format(Locale.ROOT, "%s %,d (%.1f s)", c.name(), c.count(), c.seconds()));
    }
    return b.toString();
  }
}
