package io.lodge.querier.logql;

import java.util.Map;

/**
 * The unit tables of the Go parsers LogQL borrows: {@code time.ParseDuration}'s units in nanoseconds and
 * go-humanize's {@code ParseBytes} suffixes (lower-cased, SI and IEC) in bytes. One copy for the query
 * parser, the label filters and {@code unwrap} conversions, so they never disagree.
 */
public final class GoUnits {
  /** {@code time.ParseDuration} units, in nanoseconds (both spellings of the micro sign). */
  public static final Map<String, Long> DURATION_NANOS = Map.of(
      "ns", 1L, "us", 1_000L, "\u00b5s", 1_000L, "\u03bcs", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L,
      "m", 60_000_000_000L, "h", 3_600_000_000_000L);

  /** go-humanize {@code ParseBytes} suffixes, lower-cased, in bytes ({@code ""} and {@code b} are bytes). */
  public static final Map<String, Long> BYTES = Map.ofEntries(
      Map.entry("", 1L), Map.entry("b", 1L),
      Map.entry("k", 1000L), Map.entry("kb", 1000L), Map.entry("ki", 1L << 10), Map.entry("kib", 1L << 10),
      Map.entry("m", 1000_000L), Map.entry("mb", 1000_000L), Map.entry("mi", 1L << 20), Map.entry("mib", 1L << 20),
      Map.entry("g", 1000_000_000L), Map.entry("gb", 1000_000_000L), Map.entry("gi", 1L << 30),
      Map.entry("gib", 1L << 30), Map.entry("t", 1000_000_000_000L), Map.entry("tb", 1000_000_000_000L),
      Map.entry("ti", 1L << 40), Map.entry("tib", 1L << 40), Map.entry("p", 1000_000_000_000_000L),
      Map.entry("pb", 1000_000_000_000_000L), Map.entry("pi", 1L << 50), Map.entry("pib", 1L << 50),
      Map.entry("e", 1000_000_000_000_000_000L), Map.entry("eb", 1000_000_000_000_000_000L),
      Map.entry("ei", 1L << 60), Map.entry("eib", 1L << 60));

  private GoUnits() {}
}
