package io.lodge.querier.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.config.LimitsConfig;
import io.lodge.querier.api.BadQueryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Step defaults, step alignment and the validation order and messages of LOKI-COMPAT 2.2 and 2.3. */
class MetricQueryParamsTest {
  private static final long S = 1_000_000_000L;
  private static final long B = 1_700_000_040L; // a multiple of 60 s
  private static final long NOW = (B + 3600) * S;

  private static MetricQueryParams range(Map<String, String> p) {
    return MetricQueryParams.range(p::get, LimitsConfig.defaults(), NOW);
  }

  private static List<Long> seconds(StepGrid g) {
    List<Long> out = new ArrayList<>();
    for (int k = 0; k < g.points(); k++) out.add(g.at(k) / S - B);
    return out;
  }

  @Test
  void rangeQueriesAreAlignedDownAndUpToTheStep() {
    StepGrid g = range(Map.of("query", "x", "start", "" + (B + 65), "end", "" + (B + 185), "step", "60")).grid();
    assertThat(seconds(g)).containsExactly(60L, 120L, 180L, 240L);
    g = range(Map.of("query", "x", "start", "" + (B + 65), "end", "" + (B + 185), "step", "30")).grid();
    assertThat(seconds(g)).containsExactly(60L, 90L, 120L, 150L, 180L, 210L);
    g = range(Map.of("query", "x", "start", "" + (B + 60), "end", "" + (B + 180), "step", "1m")).grid();
    assertThat(seconds(g)).as("aligned bounds stay").containsExactly(60L, 120L, 180L);
  }

  @Test
  void stepAlignmentIsMillisecondPrecise() {
    StepGrid g = range(Map.of("query", "x", "start", (B + 1) + ".2505", "end", (B + 2) + ".0", "step", "0.25")).grid();
    assertThat(g.startNanos()).isEqualTo((B + 1) * S + 250_000_000L);
    assertThat(g.endNanos()).isEqualTo((B + 2) * S);
    assertThat(g.points()).isEqualTo(4);
  }

  @Test
  void defaultStepIsARangeOver250SecondsAtLeastOne() {
    assertThat(range(Map.of("query", "x", "start", "" + B, "end", "" + (B + 3600))).grid().stepNanos()).isEqualTo(14 * S);
    assertThat(range(Map.of("query", "x", "start", "" + B, "end", "" + (B + 100))).grid().stepNanos()).isEqualTo(S);
    assertThat(range(Map.of("query", "x", "since", "1h")).grid().stepNanos()).isEqualTo(14 * S);
  }

  @Test
  void badStepsAreRefusedWithLokisMessages() {
    assertThatThrownBy(() -> range(Map.of("query", "x", "step", "0")))
        .isInstanceOf(BadQueryException.class)
        .hasMessage("zero or negative query resolution step widths are not accepted. Try a positive integer");
    assertThatThrownBy(() -> range(Map.of("query", "x", "step", "-5s")))
        .hasMessage("cannot parse \"-5s\" to a valid duration");
    assertThatThrownBy(() -> range(Map.of("query", "x", "step", "1.5m")))
        .hasMessage("cannot parse \"1.5m\" to a valid duration");
    assertThatThrownBy(() -> range(Map.of("query", "x", "start", "" + B, "end", "" + (B + 11001), "step", "1")))
        .hasMessage("exceeded maximum resolution of 11,000 points per time series. Try increasing the value of the step parameter");
    assertThat(range(Map.of("query", "x", "start", "" + B, "end", "" + (B + 11000), "step", "1")).grid().points())
        .isEqualTo(11001);
  }

  @Test
  void validationOrderFollowsLoki() {
    assertThatThrownBy(() -> range(Map.of("query", "x", "start", "" + (B + 10), "end", "" + B, "step", "0")))
        .hasMessage("end timestamp must not be before or equal to start time");
    assertThatThrownBy(() -> range(Map.of("query", "x", "limit", "0", "step", "0")))
        .hasMessage("limit must be a positive value");
    assertThatThrownBy(() -> range(Map.of("query", "x", "step", "0", "interval", "-1")))
        .hasMessage("zero or negative query resolution step widths are not accepted. Try a positive integer");
    assertThatThrownBy(() -> range(Map.of("query", "x", "interval", "-1s")))
        .hasMessage("cannot parse \"-1s\" to a valid duration");
    assertThatThrownBy(() -> range(Map.of("query", "x", "interval", "-1")))
        .hasMessage("interval must be >= 0");
  }

  @Test
  void queryLengthLimit() {
    assertThatThrownBy(() -> range(Map.of("query", "x", "start", "0", "end", "100000000", "step", "10000")))
        .hasMessage("the query time range exceeds the limit (query length: 27777h46m40s, limit: 30d1h)");
  }

  @Test
  void instantQueriesAreNotAligned() {
    MetricQueryParams p = MetricQueryParams.instant(Map.of("query", "x", "time", (B + 7) + ".123")::get, NOW);
    assertThat(p.grid().points()).isEqualTo(1);
    assertThat(p.grid().at(0)).isEqualTo((B + 7) * S + 123_000_000L);
    assertThat(MetricQueryParams.instant(Map.of("query", "x")::get, NOW).grid().at(0)).isEqualTo(NOW);
    assertThatThrownBy(() -> MetricQueryParams.instant(Map.of("time", "abc")::get, NOW))
        .hasMessage("strconv.ParseInt: parsing \"abc\": invalid syntax");
    assertThatThrownBy(() -> MetricQueryParams.instant(Map.of("limit", "-1")::get, NOW))
        .hasMessage("limit must be a positive value");
    assertThatThrownBy(() -> MetricQueryParams.instant(Map.of("direction", "up")::get, NOW))
        .hasMessage("invalid direction 'up'");
  }
}
