package io.lodge.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a Lodge server compressed its head blocks, from its {@code /metrics}
 * ({@code lodge_ingester_blocks_sealed_total}, {@code lodge_ingester_sealed_raw_bytes_total} and
 * {@code lodge_ingester_sealed_stored_bytes_total}, by {@code where}). Blocks compressed by the thread
 * applying pushes ({@code push}) made those pushes wait for zstd: the first thing to look at when the
 * server's push p99 is high. Two scrapes give the run's share; other servers show none.
 */
final class ServerSeals {
  private static final Pattern SEALED = Pattern.compile(
      "^lodge_ingester_(blocks_sealed|sealed_raw_bytes|sealed_stored_bytes)_total\\{[^}]*where=\"([^\"]+)\"[^}]*\\}\\s+(\\S+)");

  /** Blocks compressed at one place, their raw bytes and the bytes they take compressed. */
  record Where(String name, long blocks, long rawBytes, long storedBytes) {}

  private ServerSeals() {}

  /** Places in exposition order, with their totals since the server started. */
  static List<Where> parse(String text) {
    Map<String, long[]> byName = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      Matcher m = SEALED.matcher(line);
      if (!m.find()) continue;
      long v;
      try {
        v = Math.round(Double.parseDouble(m.group(3)));
      } catch (NumberFormatException e) {
        continue; // not a sample of ours: skipped like any other line
      }
      int column = switch (m.group(1)) {
        case "blocks_sealed" -> 0;
        case "sealed_raw_bytes" -> 1;
        default -> 2;
      };
      byName.computeIfAbsent(m.group(2), k -> new long[3])[column] = v;
    }
    List<Where> out = new ArrayList<>();
    byName.forEach((n, v) -> out.add(new Where(n, v[0], v[1], v[2])));
    return out;
  }

  /** What each place compressed between two scrapes (places only in {@code after} count from zero). */
  static List<Where> delta(List<Where> before, List<Where> after) {
    return ServerMetrics.delta(before, after, Where::name, (a, b) -> new Where(a.name(), a.blocks() - b.blocks(),
        a.rawBytes() - b.rawBytes(), a.storedBytes() - b.storedBytes()));
  }

  /**
   * e.g. {@code 20,000 blocks, 2,254 MB raw, 110 KB a block, 9.80x: sealer 81%, push 7%, flush 12% of the raw bytes};
   * empty when nothing was compressed.
   */
  static String describe(List<Where> places) {
    long blocks = 0, raw = 0, stored = 0;
    for (Where w : places) {
      blocks += w.blocks();
      raw += w.rawBytes();
      stored += w.storedBytes();
    }
    if (blocks <= 0 || raw <= 0) return "";
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%,d blocks, %,d MB raw, %,d KB a block, %.2fx:",
        blocks, raw / 1_000_000, raw / blocks / 1000, stored > 0 ? (double) raw / stored : 0.0));
    String sep = " ";
    for (Where w : places) {
      b.append(sep).append(String.format(Locale.ROOT, "%s %.0f%%", w.name(), 100.0 * w.rawBytes() / raw));
      sep = ", ";
    }
    return b.append(" of the raw bytes").toString();
  }
}
