package io.lodge.querier.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.ingester.model.LabelSet;
import io.lodge.querier.api.BadQueryException;
import io.lodge.querier.api.QueryStats;
import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ast.SampleExpr;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Metric queries whose log part has stages: parsers feeding unwrap, line_format changing the bytes
 * counted, and parser errors failing or not as LOKI-COMPAT 3.9 says. The log pipeline is built in
 * another branch: these tests skip until {@link Pipelines#compile} evaluates stages.
 */
class MetricPipelineStagesTest {
  private static final long S = 1_000_000_000L;
  private static final long B = 1_699_999_980L;
  private final List<MemoryLogReader.Entry> entries = new ArrayList<>();

  @BeforeEach
  void entries() {
    LabelSet a = LabelSet.of("app", "a");
    entries.add(new MemoryLogReader.Entry(a, (B + 1) * S, "latency=5 level=info msg=\"hello\"", List.of()));
    entries.add(new MemoryLogReader.Entry(a, (B + 2) * S, "latency=7 level=error msg=\"hi\"", List.of()));
    entries.add(new MemoryLogReader.Entry(a, (B + 3) * S, "latency=2.5s level=info msg=\"x\"", List.of()));
  }

  private List<String> instant(String query) {
    MetricResult.Vector v = (MetricResult.Vector) new MetricEngine(new MemoryLogReader(entries), 0)
        .evaluate("t", (SampleExpr) LogqlParser.parse(query), StepGrid.instant((B + 5) * S), true, new QueryStats());
    List<String> out = new ArrayList<>();
    for (Sample s : v.samples()) out.add(s.labels() + "=" + MetricJson.value(s.value()));
    return out;
  }

  @Test
  void logfmtFeedsUnwrapAndGrouping() {
    assertThat(instant("sum by (level) (sum_over_time({app=\"a\"} | logfmt | unwrap latency | __error__=\"\" [5s]))"))
        .containsExactly("{level=\"error\"}=7", "{level=\"info\"}=5");
    assertThat(instant("sum by (level) (sum_over_time({app=\"a\"} | logfmt | unwrap duration(latency) | __error__=\"\" [5s]))"))
        .containsExactly("{level=\"info\"}=2.5");
    assertThatThrownBy(() -> instant("sum_over_time({app=\"a\"} | logfmt | unwrap latency [5s])"))
        .isInstanceOf(BadQueryException.class).hasMessageStartingWith("pipeline error: 'SampleExtractionErr' for series: ");
  }

  @Test
  void lineFormatChangesTheBytesCounted() {
    assertThat(instant("sum(bytes_over_time({app=\"a\"} | logfmt | line_format \"{{.level}}\" [5s]))"))
        .containsExactly("{}=13"); // "info" + "error" + "info"
  }

  @Test
  void parserErrorsFailUnlessTheirLabelsCannotMatter() {
    assertThatThrownBy(() -> instant("count_over_time({app=\"a\"} | json [5s])"))
        .isInstanceOf(BadQueryException.class).hasMessageStartingWith("pipeline error: 'JSONParserErr' for series: ");
    assertThatThrownBy(() -> instant("sum by (app) (count_over_time({app=\"a\"} | json [5s]))"))
        .hasMessageStartingWith("pipeline error: 'JSONParserErr'");
    assertThatThrownBy(() -> instant("max(count_over_time({app=\"a\"} | json [5s]))"))
        .hasMessageStartingWith("pipeline error: 'JSONParserErr'");
    assertThat(instant("sum(count_over_time({app=\"a\"} | json [5s]))")).containsExactly("{}=3");
    assertThat(instant("sum by (level) (count_over_time({app=\"a\"} | json | drop __error__ [5s]))")).containsExactly("{}=3");
    assertThat(instant("sum by (__error__) (count_over_time({app=\"a\"} | json [5s]))"))
        .containsExactly("{__error__=\"JSONParserErr\"}=3");
  }
}
