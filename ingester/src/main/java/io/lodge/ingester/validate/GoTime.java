package io.lodge.ingester.validate;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Go's time formatting as Loki prints times in messages, always in UTC (Loki runs with {@code TZ=UTC} in
 * its images): {@code time.RFC3339}, {@code time.RFC3339Nano} and {@code time.Time.String()}.
 */
public final class GoTime {
  private GoTime() {}

  /** {@code time.RFC3339}: {@code 2024-01-02T03:04:05Z}, fraction dropped (truncated, as Go does). */
  public static String rfc3339(long unixNanos) {
    StringBuilder sb = new StringBuilder(24);
    appendDateTime(sb, unixNanos, 'T');
    return sb.append('Z').toString();
  }

  /** {@code time.RFC3339} of an instant. */
  public static String rfc3339(Instant t) {
    return rfc3339(toNanos(t));
  }

  /** {@code time.RFC3339Nano}: {@code 2024-01-02T03:04:05.1Z}, trailing zeros of the fraction removed. */
  public static String rfc3339Nano(long unixNanos) {
    StringBuilder sb = new StringBuilder(32);
    appendDateTime(sb, unixNanos, 'T');
    appendFraction(sb, Math.floorMod(unixNanos, 1_000_000_000L));
    return sb.append('Z').toString();
  }

  /**
   * {@code time.Time.String()} of a UTC time: {@code 2024-01-02 03:04:05.123 +0000 UTC} (layout
   * {@code 2006-01-02 15:04:05.999999999 -0700 MST}: fraction without trailing zeros, none when zero).
   */
  public static String string(long unixNanos) {
    StringBuilder sb = new StringBuilder(40);
    appendDateTime(sb, unixNanos, ' ');
    appendFraction(sb, Math.floorMod(unixNanos, 1_000_000_000L));
    return sb.append(" +0000 UTC").toString();
  }

  private static long toNanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  private static void appendDateTime(StringBuilder sb, long unixNanos, char sep) {
    long seconds = Math.floorDiv(unixNanos, 1_000_000_000L);
    LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
    int year = t.getYear();
    // Go prints the year with at least four digits and a minus sign for years before 0
    if (year < 0) {
      sb.append('-');
      year = -year;
    }
    pad(sb, year, 4);
    sb.append('-');
    pad(sb, t.getMonthValue(), 2);
    sb.append('-');
    pad(sb, t.getDayOfMonth(), 2);
    sb.append(sep);
    pad(sb, t.getHour(), 2);
    sb.append(':');
    pad(sb, t.getMinute(), 2);
    sb.append(':');
    pad(sb, t.getSecond(), 2);
  }

  private static void appendFraction(StringBuilder sb, long nanos) {
    if (nanos == 0) return;
    String digits = Long.toString(nanos + 1_000_000_000L).substring(1);
    int end = digits.length();
    while (digits.charAt(end - 1) == '0') end--;
    sb.append('.').append(digits, 0, end);
  }

  private static void pad(StringBuilder sb, int value, int width) {
    String s = Integer.toString(value);
    for (int i = s.length(); i < width; i++) sb.append('0');
    sb.append(s);
  }
}
