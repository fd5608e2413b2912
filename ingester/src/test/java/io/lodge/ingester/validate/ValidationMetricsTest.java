package io.lodge.ingester.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidationMetricsTest {
  @Test
  void countersAreExposedWithLokiNamesAndLabels() {
    PrometheusRegistry registry = new PrometheusRegistry();
    ValidationMetrics m = new ValidationMetrics(registry);
    m.discarded(DiscardReason.LINE_TOO_LONG, "t1", 2, 300);
    m.discarded(DiscardReason.LINE_TOO_LONG, "t1", 1, 100);
    m.discarded(DiscardReason.DUPLICATE, "t2", 1, 0);
    m.received("t1", 5, 50);

    MetricSnapshots snaps = registry.scrape();
    Map<String, MetricSnapshot> byName = new HashMap<>();
    for (MetricSnapshot s : snaps) byName.put(s.getMetadata().getPrometheusName(), s);
    assertThat(byName).containsOnlyKeys("lodge_discarded_samples", "lodge_discarded_bytes",
        "lodge_distributor_lines_received", "lodge_distributor_bytes_received");
    // counters: the text exposition appends _total to these names
    assertThat(byName.values()).allMatch(s -> s instanceof CounterSnapshot);

    CounterSnapshot samples = (CounterSnapshot) byName.get("lodge_discarded_samples");
    assertThat(samples.getDataPoints()).anySatisfy(p -> {
      assertThat(p.getLabels().get("reason")).isEqualTo("line_too_long");
      assertThat(p.getLabels().get("tenant")).isEqualTo("t1");
      assertThat(p.getValue()).isEqualTo(3.0);
    });
    assertThat(m.discardedBytes(DiscardReason.LINE_TOO_LONG, "t1")).isEqualTo(400);
    assertThat(m.discardedSamples(DiscardReason.DUPLICATE, "t2")).isEqualTo(1);
    assertThat(m.linesReceived("t1")).isEqualTo(5);
    assertThat(m.bytesReceived("t1")).isEqualTo(50);
  }

  @Test
  void reasonLabelsAreLokis() {
    assertThat(DiscardReason.GREATER_THAN_MAX_SAMPLE_AGE.label()).isEqualTo("greater_than_max_sample_age");
    assertThat(DiscardReason.PER_STREAM_RATE_LIMIT.label()).isEqualTo("per_stream_rate_limit");
    assertThat(DiscardReason.MISSING_ENFORCED_LABELS.label()).isEqualTo("missing_enforced_labels");
    assertThat(DiscardReason.values()).extracting(DiscardReason::label).doesNotHaveDuplicates().hasSize(19);
  }
}
