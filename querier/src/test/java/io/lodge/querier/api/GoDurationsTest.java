package io.lodge.querier.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Both duration printers against Go's and Prometheus' known outputs, and round trips through parsers. */
class GoDurationsTest {
  @Test
  void prometheusForm() {
    assertThat(GoDurations.prometheus(Duration.ofHours(721))).isEqualTo("30d1h");
    assertThat(GoDurations.prometheus(Duration.ZERO)).isEqualTo("0s");
    assertThat(GoDurations.prometheus(Duration.ofDays(90))).isEqualTo("90d");
    assertThat(GoDurations.prometheus(Duration.ofDays(14))).isEqualTo("2w");
    assertThat(GoDurations.prometheus(Duration.ofDays(365))).isEqualTo("1y");
    assertThat(GoDurations.prometheus(Duration.ofMillis(1500))).isEqualTo("1s500ms");
    assertThat(GoDurations.prometheus(Duration.ofMinutes(90))).isEqualTo("1h30m");
  }

  @Test
  void goForm() {
    assertThat(GoDurations.go(Duration.ofSeconds(100_000_000))).isEqualTo("27777h46m40s");
    assertThat(GoDurations.go(Duration.ZERO)).isEqualTo("0s");
    assertThat(GoDurations.go(Duration.ofHours(1))).isEqualTo("1h0m0s");
    assertThat(GoDurations.go(Duration.ofSeconds(61))).isEqualTo("1m1s");
    assertThat(GoDurations.go(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(GoDurations.go(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(GoDurations.go(Duration.ofNanos(1_500_000))).isEqualTo("1.5ms");
    assertThat(GoDurations.go(Duration.ofNanos(2_000))).isEqualTo("2µs");
    assertThat(GoDurations.go(Duration.ofNanos(999))).isEqualTo("999ns");
    assertThat(GoDurations.go(Duration.ofNanos(-1_500_000_000L))).isEqualTo("-1.5s");
  }

  private static final Pattern GO = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:([\\d.]+)s)?|([\\d.]+)(ns|µs|ms)");

  /** A small oracle parser for the Go form. */
  private static long parseGo(String s) {
    Matcher m = GO.matcher(s);
    assertThat(m.matches()).as(s).isTrue();
    if (m.group(4) != null) {
      BigDecimal v = new BigDecimal(m.group(4));
      int shift = switch (m.group(5)) { case "ns" -> 0; case "µs" -> 3; default -> 6; };
      return v.movePointRight(shift).longValueExact();
    }
    long n = 0;
    if (m.group(1) != null) n += Long.parseLong(m.group(1)) * 3_600_000_000_000L;
    if (m.group(2) != null) n += Long.parseLong(m.group(2)) * 60_000_000_000L;
    if (m.group(3) != null) n += new BigDecimal(m.group(3)).movePointRight(9).longValueExact();
    return n;
  }

  @Property(tries = 300)
  void goFormParsesBack(@ForAll @LongRange(min = 0, max = 1_000_000_000_000_000L) long nanos) {
    assertThat(parseGo(GoDurations.go(Duration.ofNanos(nanos)))).isEqualTo(nanos);
  }

  @Property(tries = 300)
  void prometheusFormParsesBackWithLokisParser(@ForAll @LongRange(min = 1, max = 5_000_000_000_000L) long millis) {
    String s = GoDurations.prometheus(Duration.ofMillis(millis));
    assertThat(LokiTime.parsePrometheusDuration(s)).as(s).isEqualTo(Duration.ofMillis(millis));
  }
}
