package io.lodge.ingester.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Rfc3339Test {
  @ParameterizedTest
  @CsvSource({
      "2019-09-13T18:32:22.380001319Z, 1568399542380001319",
      "1970-01-01T00:00:00Z, 0",
      "1970-01-01T01:00:00+01:00, 0",
      "1969-12-31T23:59:59.999999999Z, -1",
      "1970-01-01T00:00:00.1234567891234Z, 123456789",
      "2024-02-29T00:00:00-00:30, 1709166600000000000",
      "0001-01-01T00:00:00Z, -9223372036854775808",
      "9999-12-31T23:59:59Z, 9223372036854775807",
  })
  void parsesLikeGo(String text, long nanos) {
    assertThat(Rfc3339.parseNanos(text)).isEqualTo(nanos);
  }

  @ParameterizedTest
  @CsvSource({
      "2019-09-13T18:32:22.Z, fraction without digits",
      "2019-09-13t18:32:22Z, expected 'T'",
      "2019-09-13T18:32:22z, bad time zone",
      "2019-09-13T24:00:00Z, time out of range",
      "2019-09-13T18:32:60Z, time out of range",
      "2023-02-29T00:00:00Z, day out of range",
      "2019-09-13T18:32:22+0100, bad time zone offset",
      "2019-09-13T18:32:22+01:00x, bad time zone offset",
      "2019-9-13T18:32:22Z, expected a digit at offset 6",
  })
  void refusesWhatGoRefuses(String text, String why) {
    assertThatThrownBy(() -> Rfc3339.parseNanos(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(why);
  }

  @Property(tries = 300)
  void agreesWithJavaTime(@ForAll @LongRange(min = -5_000_000_000L, max = 9_000_000_000L) long seconds,
      @ForAll @IntRange(min = 0, max = 999_999_999) int nanos, @ForAll @IntRange(min = -1080, max = 1080) int offsetMinutes) {
    OffsetDateTime t = Instant.ofEpochSecond(seconds, nanos)
        .atOffset(java.time.ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
    String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d.%09d%s", t.getYear(), t.getMonthValue(),
        t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(), t.getNano(),
        offsetMinutes == 0 ? "Z" : t.getOffset().getId());
    assertThat(Rfc3339.parseNanos(text)).isEqualTo(seconds * 1_000_000_000L + nanos);
  }
}
