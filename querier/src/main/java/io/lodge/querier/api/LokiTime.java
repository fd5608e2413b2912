package io.lodge.querier.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loki's parsing of time and duration query parameters (LOKI-COMPAT 2.1.1 and 2.1.2): float seconds
 * rounded to ms, integers of up to 10 digits as seconds and longer as ns, RFC 3339; durations as float
 * seconds or Prometheus durations.
 */
public final class LokiTime {
  private static final Pattern PROM_DURATION =
      Pattern.compile("(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
  private static final long[] UNIT_NANOS = {
      365L * 86_400_000_000_000L, 7L * 86_400_000_000_000L, 86_400_000_000_000L, 3_600_000_000_000L,
      60_000_000_000L, 1_000_000_000L, 1_000_000L};

  private LokiTime() {}

  /**
   * Parses a timestamp parameter to Unix ns; empty gives {@code defaultNanos}. Errors name the parameter
   * as Loki does ({@code could not parse 'start' parameter: ...}); {@code param} null leaves the message bare.
   */
  public static long parseTimestamp(String value, long defaultNanos, String param) {
    if (value == null || value.isEmpty()) return defaultNanos;
    if (value.indexOf('.') >= 0) {
      try {
        BigDecimal seconds = new BigDecimal(value.trim());
        // Loki rounds float seconds to milliseconds
        return seconds.setScale(3, RoundingMode.HALF_EVEN).movePointRight(9).longValueExact();
      } catch (NumberFormatException | ArithmeticException notFloat) {
        // fall through to RFC 3339
      }
    } else if (isInteger(value)) {
      try {
        long n = Long.parseLong(value);
        String digits = value.startsWith("-") || value.startsWith("+") ? value.substring(1) : value;
        return digits.length() <= 10 ? Math.multiplyExact(n, 1_000_000_000L) : n;
      } catch (NumberFormatException | ArithmeticException overflow) {
        throw bad(param, "strconv.ParseInt: parsing " + goQuote(value) + ": value out of range");
      }
    }
    try {
      OffsetDateTime t = OffsetDateTime.parse(value);
      return Math.addExact(Math.multiplyExact(t.toEpochSecond(), 1_000_000_000L), t.getNano());
    } catch (DateTimeParseException | ArithmeticException e) {
      throw bad(param, "strconv.ParseInt: parsing " + goQuote(value) + ": invalid syntax");
    }
  }

  /** Parses a Prometheus duration ({@code 1h30m}, {@code 500ms}, {@code 7d}) or null when it is not one. */
  public static Duration parsePrometheusDuration(String s) {
    if (s == null || s.isEmpty()) return null;
    Matcher m = PROM_DURATION.matcher(s);
    if (!m.matches()) return null;
    long total = 0;
    boolean any = false;
    for (int i = 0; i < UNIT_NANOS.length; i++) {
      String g = m.group(i + 1);
      if (g == null) continue;
      any = true;
      try {
        total = Math.addExact(total, Math.multiplyExact(Long.parseLong(g), UNIT_NANOS[i]));
      } catch (NumberFormatException | ArithmeticException e) {
        return null;
      }
    }
    return any ? Duration.ofNanos(total) : null;
  }

  /** A {@code step}/{@code interval}-style duration: float seconds or a Prometheus duration. */
  public static Duration parseDurationParam(String value, String param) {
    try {
      BigDecimal seconds = new BigDecimal(value.trim());
      return Duration.ofNanos(seconds.movePointRight(9).setScale(0, RoundingMode.DOWN).longValueExact());
    } catch (NumberFormatException | ArithmeticException notNumber) {
      Duration d = parsePrometheusDuration(value);
      if (d == null) throw new BadQueryException("cannot parse " + goQuote(value) + " to a valid duration");
      return d;
    }
  }

  private static boolean isInteger(String s) {
    int i = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
    if (i >= s.length()) return false;
    for (; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
    return true;
  }

  private static BadQueryException bad(String param, String detail) {
    return new BadQueryException(param == null ? detail : "could not parse '" + param + "' parameter: " + detail);
  }

  static String goQuote(String s) {
    return io.lodge.ingester.model.GoQuote.quote(s);
  }
}
