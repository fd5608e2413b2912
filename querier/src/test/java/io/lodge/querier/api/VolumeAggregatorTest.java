package io.lodge.querier.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.model.LabelSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Volume aggregation against a brute-force oracle over random entries, groupings and steps. */
class VolumeAggregatorTest {
  private static final long S = 1_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final LabelSet[] STREAMS = {
      LabelSet.of("app", "a", "env", "prod"), LabelSet.of("app", "b", "env", "prod"),
      LabelSet.of("app", "a", "env", "dev", "pod", "p1"), LabelSet.of("job", "x")};

  private static String seconds(long nanos) {
    java.math.BigDecimal b = java.math.BigDecimal.valueOf(nanos / MS, 3).stripTrailingZeros();
    return b.scale() <= 0 ? b.toBigInteger().toString() : b.toPlainString();
  }

  @Property(tries = 200)
  void rangeVolumesMatchBruteForce(
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 3) Integer> streams,
      @ForAll @Size(max = 60) List<@LongRange(min = 0, max = 3_600_000) Long> offsetsMs,
      @ForAll @IntRange(min = 1, max = 900) int stepSeconds,
      @ForAll @IntRange(min = 0, max = 2) int grouping,
      @ForAll @IntRange(min = 1, max = 5) int limit) {
    long start = 1_700_000_123L * S + 456 * MS;
    long end = start + 3_600_001 * MS;
    long step = stepSeconds * S;
    Set<String> groupBy = switch (grouping) { case 0 -> Set.of(); case 1 -> Set.of("app"); default -> Set.of("env", "pod"); };
    VolumeAggregator agg = new VolumeAggregator(groupBy, VolumeAggregator.AggregateBy.SERIES, new TimeRange(start, end), step);
    Map<String, TreeMap<Long, Long>> want = new HashMap<>();
    int n = Math.min(streams.size(), offsetsMs.size());
    for (int i = 0; i < n; i++) {
      LabelSet l = STREAMS[streams.get(i)];
      long ts = start + offsetsMs.get(i) * MS;
      long bytes = ("line " + i).getBytes(StandardCharsets.UTF_8).length;
      agg.add(l, ts, bytes);
      // oracle: walk the step boundaries from the first one at or before start
      StringBuilder metric = new StringBuilder("{");
      for (var x : l.labels()) {
        if (!groupBy.isEmpty() && !groupBy.contains(x.name())) continue;
        if (metric.length() > 1) metric.append(',');
        metric.append('"').append(x.name()).append("\":\"").append(x.value()).append('"');
      }
      if (metric.length() == 1) continue;
      metric.append('}');
      long b = Math.floorDiv(start, step) * step;
      while (b + step <= ts) b += step;
      long stamp = b + step >= end ? end / MS * MS : b + step - MS;
      want.computeIfAbsent(metric.toString(), k -> new TreeMap<>()).merge(stamp, bytes, Long::sum);
    }
    List<Map.Entry<String, TreeMap<Long, Long>>> order = new ArrayList<>(want.entrySet());
    order.sort(Comparator.<Map.Entry<String, TreeMap<Long, Long>>>comparingLong(
        e -> -e.getValue().values().stream().mapToLong(Long::longValue).sum())
        .thenComparing(e -> canonical(e.getKey())));
    StringBuilder json = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
    for (int k = 0; k < Math.min(limit, order.size()); k++) {
      if (k > 0) json.append(',');
      json.append("{\"metric\":").append(order.get(k).getKey()).append(",\"values\":[");
      boolean first = true;
      for (var p : order.get(k).getValue().entrySet()) {
        if (!first) json.append(',');
        first = false;
        json.append('[').append(seconds(p.getKey())).append(",\"").append(p.getValue()).append("\"]");
      }
      json.append("]}");
    }
    json.append("],\"stats\":");
    String got = new String(agg.render(limit), StandardCharsets.UTF_8);
    assertThat(got).startsWith(json.toString());
    assertThat(agg.seriesCount()).isEqualTo(want.size());
  }

  /** {"a":"1","b":"2"} to Loki's canonical {a="1", b="2"} for the tie-break order. */
  private static String canonical(String json) {
    return json.replace("\":\"", "=\"").replace("\",\"", "\", ").replace("{\"", "{");
  }
}
