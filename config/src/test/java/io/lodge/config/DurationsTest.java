package io.lodge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({
      "0, 0", "168h, 604800000000000", "7d, 604800000000000", "1w, 604800000000000", "1h30m, 5400000000000",
      "500ms, 500000000", "1.5h, 5400000000000", "30d1h, 2595600000000000", "10m, 600000000000",
      "1y, 31536000000000000", "2h0m0s, 7200000000000", "1m30s, 90000000000", "250us, 250000",
      "250µs, 250000", "100ns, 100", "1.5s, 1500000000", "-1s, -1000000000", "0s, 0", "721h, 2595600000000000",
      "2562047h47m16.854775807s, 9223372036854775807", "0.5ns0.5ns, 0", "1.9ns1.9ns, 2", "1.0000000009s, 1000000000",
      "0.25h0.001ms, 900000001000", ".5s, 500000000", "1.5us2.25ns, 1502", "0.000000000000000000001h, 0"})
  void parsesGoAndPrometheusSyntax(String text, long nanos) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofNanos(nanos));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "h", "10", "1.5", "5 minutes", "1x", "1..5h", "-", "1h-5m", "2562048h", "2562047h47m16.854775808s", "1.2.3s"})
  void rejectsNonDurations(String text) {
    assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Expected strings are what Go's time.Duration.String() prints for these values. */
  @ParameterizedTest
  @CsvSource({"0, 0s", "100, 100ns", "1500, 1.5µs", "500000000, 500ms", "1500000000, 1.5s",
      "90000000000, 1m30s", "7200000000000, 2h0m0s", "604800000000000, 168h0m0s", "3600500000000, 1h0m0.5s",
      "-1000000000, -1s", "60000000000, 1m0s", "1000001, 1.000001ms"})
  void formatsLikeGo(long nanos, String text) {
    assertThat(Durations.formatGo(Duration.ofNanos(nanos))).isEqualTo(text);
  }

  /** Expected strings are what Prometheus' model.Duration.String() prints for these values. */
  @ParameterizedTest
  @CsvSource({"0, 0s", "604800000000000, 1w", "2595600000000000, 30d1h", "600000000000, 10m",
      "7776000000000000, 90d", "31536000000000000, 1y", "86400001000000, 1d1ms", "5400000000000, 1h30m",
      "1500, 1.5µs"})
  void formatsLikePrometheus(long nanos, String text) {
    assertThat(Durations.formatPrometheus(Duration.ofNanos(nanos))).isEqualTo(text);
  }

  @Property
  void goFormatRoundTrips(@ForAll @LongRange(min = -Long.MAX_VALUE) long nanos) {
    Duration d = Duration.ofNanos(nanos);
    assertThat(Durations.parse(Durations.formatGo(d))).isEqualTo(d);
  }

  @Property
  void prometheusFormatRoundTrips(@ForAll @LongRange(min = 0) long nanos, @ForAll boolean wholeMillis) {
    Duration d = Duration.ofNanos(wholeMillis ? nanos - nanos % 1_000_000 : nanos);
    assertThat(Durations.parse(Durations.formatPrometheus(d))).isEqualTo(d);
  }
}
