package io.lodge.server.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.querier.api.BadQueryException;
import io.lodge.querier.logql.ParseException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tail parameters: Loki's defaults, order of checks and messages (LOKI-COMPAT 2.7, 2.1.1). */
class TailParamsTest {
  private static final long NOW = 1_700_000_000_000_000_000L;

  private static TailParams parse(Map<String, String> params) {
    return TailParams.fromParams(params::get, NOW);
  }

  @Test
  void defaults() {
    TailParams p = parse(Map.of("query", "{app=\"a\"}"));
    assertThat(p.limit()).isEqualTo(100);
    assertThat(p.startNanos()).isEqualTo(NOW - Duration.ofHours(1).toNanos());
    assertThat(p.delayFor()).isZero();
    assertThat(p.query().selector().matchers()).hasSize(1);
  }

  @Test
  void explicitValues() {
    TailParams p = parse(Map.of("query", "{app=\"a\"} |= \"x\"", "limit", "7", "start", "1700000000", "delay_for", "5"));
    assertThat(p.limit()).isEqualTo(7);
    assertThat(p.startNanos()).isEqualTo(1_700_000_000_000_000_000L);
    assertThat(p.delayFor()).isEqualTo(Duration.ofSeconds(5));
    assertThat(p.query().stages()).hasSize(1);
  }

  @Test
  void errorsInLokisOrderAndWords() {
    assertThatThrownBy(() -> parse(Map.of("query", "{app=\"a\"}", "delay_for", "6")))
        .isInstanceOf(BadQueryException.class).hasMessage("delay_for can't be greater than 5");
    assertThatThrownBy(() -> parse(Map.of("query", "{app=\"a\"}", "delay_for", "-1")))
        .hasMessage("delay_for can't be greater than 5");
    assertThatThrownBy(() -> parse(Map.of("query", "{app=\"a\"}", "limit", "-3", "delay_for", "9")))
        .as("limit is checked before delay_for").hasMessage("limit must be a positive value");
    assertThatThrownBy(() -> parse(Map.of("query", "{app=\"a\"}", "limit", "ten")))
        .hasMessage("strconv.Atoi: parsing \"ten\": invalid syntax");
    assertThatThrownBy(() -> parse(Map.of("query", "{app=\"a\"}", "limit", "99999999999")))
        .hasMessage("strconv.Atoi: parsing \"99999999999\": value out of range");
    assertThatThrownBy(() -> parse(Map.of("query", "sum(rate({app=\"a\"}[1m]))")))
        .isInstanceOf(ParseException.class);
    assertThatThrownBy(() -> parse(Map.of("query", "{app=\"a\"", "limit", "x")))
        .as("the query is checked first").isInstanceOf(ParseException.class);
  }
}
