package io.lodge.bench;

import java.time.Duration;
import picocli.CommandLine;

/** Parses Go-style durations as Loki's tools take them: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    String v = value.trim();
    int i = 0;
    while (i < v.length() && (Character.isDigit(v.charAt(i)) || v.charAt(i) == '.')) i++;
    if (i == 0 || i == v.length()) {
      throw new CommandLine.TypeConversionException("expected a duration like 10s, 500ms, 2m or 1h, got '" + value + "'");
    }
    double n = Double.parseDouble(v.substring(0, i));
    double nanos = n * switch (v.substring(i)) {
      case "ns" -> 1;
      case "us", "µs" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "m" -> 60e9;
      case "h" -> 3600e9;
      default -> throw new CommandLine.TypeConversionException("unknown duration unit '" + v.substring(i) + "' in '" + value
          + "' (use ns, us, ms, s, m or h)");
    };
    return Duration.ofNanos((long) nanos);
  }
}
