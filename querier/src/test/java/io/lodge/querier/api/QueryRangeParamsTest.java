package io.lodge.querier.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.read.Direction;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** query_range's parameter checks in Loki's order (first failure wins) and the reusable limit checks. */
class QueryRangeParamsTest {
  private static final long NOW = 1_700_003_600L * 1_000_000_000L;

  private static QueryRangeParams parse(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return QueryRangeParams.fromParams(m::get, NOW);
  }

  private static void refused(String message, String... kv) {
    assertThatThrownBy(() -> parse(kv)).isInstanceOf(BadQueryException.class).hasMessage(message);
  }

  @Test
  void defaults() {
    QueryRangeParams p = parse("query", "{a=\"b\"}");
    assertThat(p.range()).isEqualTo(new TimeRange(NOW - 3_600_000_000_000L, NOW));
    assertThat(p.limit()).isEqualTo(100);
    assertThat(p.direction()).isEqualTo(Direction.BACKWARD);
    assertThat(p.step()).isEqualTo(Duration.ofSeconds(14)); // floor(3600 / 250)
    assertThat(p.intervalNanos()).isZero();
    assertThat(parse("start", "1700000000", "end", "1700000100").step()).isEqualTo(Duration.ofSeconds(1));
    assertThat(parse("step", "1m30s", "interval", "0.5", "direction", "FORWARD").intervalNanos()).isEqualTo(500_000_000L);
  }

  @Test
  void firstFailureWinsInLokisOrder() {
    refused("could not parse 'start' parameter: strconv.ParseInt: parsing \"x\": invalid syntax",
        "start", "x", "limit", "-1", "direction", "up", "step", "0", "interval", "-1");
    refused("end timestamp must not be before or equal to start time",
        "start", "1700000100", "end", "1700000000", "limit", "x");
    refused("strconv.Atoi: parsing \"x\": invalid syntax", "limit", "x", "direction", "up");
    refused("limit must be a positive value", "limit", "0", "direction", "up");
    refused("invalid direction 'up'", "direction", "up", "step", "0");
    refused("cannot parse \"1.5m\" to a valid duration", "step", "1.5m", "interval", "-1");
    refused("zero or negative query resolution step widths are not accepted. Try a positive integer",
        "step", "-5", "interval", "-1");
    refused("exceeded maximum resolution of 11,000 points per time series. Try increasing the value of the step parameter",
        "start", "1700000000", "end", "1700011001", "step", "1", "interval", "-1");
    refused("cannot parse \"x\" to a valid duration", "interval", "x");
    refused("interval must be >= 0", "interval", "-1");
  }

  @Test
  void elevenThousandPointsIsStillAccepted() {
    assertThat(parse("start", "1700000000", "end", "1700011000", "step", "1").stepNanos()).isEqualTo(1_000_000_000L);
  }

  @Test
  void limitChecks() {
    QueryLimits limits = new QueryLimits(LimitsConfig.defaults());
    limits.checkEntries(5000);
    assertThatThrownBy(() -> limits.checkEntries(6000)).hasMessage(
        "max entries limit per query exceeded, limit > max_entries_limit_per_query (6000 > 5000)");
    limits.checkQueryLength(new TimeRange(0, Duration.ofHours(721).toNanos()));
    assertThatThrownBy(() -> limits.checkQueryLength(new TimeRange(0, Duration.ofHours(722).toNanos()))).hasMessage(
        "the query time range exceeds the limit (query length: 722h0m0s, limit: 30d1h)");
    limits.checkSeries(500);
    assertThatThrownBy(() -> limits.checkSeries(501)).hasMessage("maximum of series (500) reached for a single query");
    assertThatThrownBy(() -> limits.checkVolumeSeries(1001))
        .hasMessage("the query hit the max number of series limit (limit: 1000 series)");
  }

  @Test
  void bytesAreHumanizedLikeGo() {
    assertThat(QueryLimits.humanBytes(5)).isEqualTo("5 B");
    assertThat(QueryLimits.humanBytes(999)).isEqualTo("999 B");
    assertThat(QueryLimits.humanBytes(1000)).isEqualTo("1.0 kB");
    assertThat(QueryLimits.humanBytes(1500)).isEqualTo("1.5 kB");
    assertThat(QueryLimits.humanBytes(82_854_982)).isEqualTo("83 MB");
    new QueryLimits(LimitsConfig.defaults()).checkBytesRead(Long.MAX_VALUE); // 0 = off
  }

  @Test
  void deadlines() throws InterruptedException {
    Deadline.NONE.check();
    Deadline d = Deadline.after(Duration.ofMillis(1));
    Thread.sleep(5);
    assertThatThrownBy(d::check).isInstanceOf(QueryTimeoutException.class).hasMessageStartingWith("Request timed out,");
    new QueryLimits(LimitsConfig.defaults()).deadline().check();
  }
}
