package io.lodge.querier.api;

import com.fasterxml.jackson.core.JsonGenerator;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Sums ingested bytes for {@code /index/volume} and {@code /index/volume_range} (LOKI-COMPAT 2.9): per
 * series reduced to the grouping labels, or per label name with {@code aggregateBy=labels}; for a range,
 * in buckets cut at multiples of the step since the epoch, each stamped with its end (1 ms before the
 * next boundary; the last one at the range's end).
 */
public final class VolumeAggregator {
  private static final long MS = 1_000_000L;

  /** How series are formed. */
  public enum AggregateBy { SERIES, LABELS }

  private final Set<String> groupBy;
  private final AggregateBy aggregateBy;
  private final TimeRange range;
  private final long stepNanos;
  /** metric -> bucket stamp (ns) -> bytes; a TreeMap keeps buckets in time order. */
  private final Map<LabelSet, TreeMap<Long, Long>> volumes = new HashMap<>();

  /**
   * @param groupBy label names to keep (empty = the stream's full label set)
   * @param stepNanos bucket width for volume_range, 0 for the instant volume (one sample at {@code end})
   */
  public VolumeAggregator(Set<String> groupBy, AggregateBy aggregateBy, TimeRange range, long stepNanos) {
    this.groupBy = Set.copyOf(groupBy);
    this.aggregateBy = aggregateBy;
    this.range = range;
    this.stepNanos = stepNanos;
  }

  /** Parses {@code aggregateBy}: {@code series} (default) or {@code labels}. */
  public static AggregateBy parseAggregateBy(String s) {
    if (s == null || s.isEmpty() || s.equals("series")) return AggregateBy.SERIES;
    if (s.equals("labels")) return AggregateBy.LABELS;
    throw new BadQueryException("invalid aggregation option");
  }

  /** Counts one entry of {@code bytes} (line plus structured metadata) of stream {@code labels} at {@code ts}. */
  public void add(LabelSet labels, long ts, long bytes) {
    long stamp = stamp(ts);
    if (aggregateBy == AggregateBy.LABELS) {
      for (Label l : labels.labels()) {
        if (groupBy.isEmpty() || groupBy.contains(l.name())) addTo(LabelSet.of(l.name(), ""), stamp, bytes);
      }
      return;
    }
    LabelSet metric = labels;
    if (!groupBy.isEmpty()) {
      List<Label> kept = new ArrayList<>(groupBy.size());
      for (Label l : labels.labels()) if (groupBy.contains(l.name())) kept.add(l);
      if (kept.isEmpty()) return; // the stream has none of the grouping labels
      metric = LabelSet.of(kept);
    }
    addTo(metric, stamp, bytes);
  }

  private void addTo(LabelSet metric, long stamp, long bytes) {
    volumes.computeIfAbsent(metric, k -> new TreeMap<>()).merge(stamp, bytes, Long::sum);
  }

  /** The bucket end an entry at {@code ts} is stamped with, in ns at ms precision. */
  long stamp(long ts) {
    long end = range.endNanos() / MS * MS;
    if (stepNanos <= 0) return end;
    long boundary = Math.floorDiv(ts, stepNanos) * stepNanos + stepNanos;
    if (boundary >= range.endNanos()) return end;
    return (boundary - MS) / MS * MS;
  }

  /** Number of series so far (for {@code volume_max_series}). */
  public int seriesCount() {
    return volumes.size();
  }

  /** The Prometheus-style response: top {@code limit} series by total bytes, then by labels. */
  public byte[] render(int limit) {
    record Series(LabelSet metric, TreeMap<Long, Long> points, long total) {}
    List<Series> all = new ArrayList<>(volumes.size());
    volumes.forEach((m, p) -> all.add(new Series(m, p, p.values().stream().mapToLong(Long::longValue).sum())));
    all.sort(Comparator.comparingLong(Series::total).reversed().thenComparing(Series::metric));
    List<Series> shown = all.subList(0, Math.min(limit, all.size()));
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 64 * shown.size());
    try (JsonGenerator g = LokiJson.generator(out)) {
      g.writeStartObject();
      g.writeStringField("status", "success");
      g.writeObjectFieldStart("data");
      g.writeStringField("resultType", stepNanos > 0 ? "matrix" : "vector");
      g.writeArrayFieldStart("result");
      for (Series s : shown) {
        g.writeStartObject();
        g.writeObjectFieldStart("metric");
        for (Label l : s.metric.labels()) g.writeStringField(l.name(), l.value());
        g.writeEndObject();
        if (stepNanos > 0) {
          g.writeArrayFieldStart("values");
          for (Map.Entry<Long, Long> p : s.points.entrySet()) writeSample(g, p.getKey(), p.getValue());
          g.writeEndArray();
        } else {
          g.writeFieldName("value");
          writeSample(g, range.endNanos() / MS * MS, s.total);
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      new QueryStats().write(g);
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeSample(JsonGenerator g, long nanos, long value) throws IOException {
    g.writeStartArray();
    writeSeconds(g, nanos);
    g.writeString(Long.toString(value));
    g.writeEndArray();
  }

  /** A Prometheus sample time: Unix seconds as a JSON number, ms precision, shortest form. */
  public static void writeSeconds(JsonGenerator g, long nanos) throws IOException {
    BigDecimal s = BigDecimal.valueOf(Math.floorDiv(nanos, MS), 3).stripTrailingZeros();
    g.writeNumber(s.scale() <= 0 ? s.toBigInteger().toString() : s.toPlainString());
  }
}
