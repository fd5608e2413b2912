package io.lodge.server.elasticsearch;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Reads a document's time field the way Elasticsearch's default date mapping
 * ({@code strict_date_optional_time||epoch_millis}) does: RFC 3339 / ISO 8601 with or without an offset
 * (UTC when none), a bare date, or a number. Numbers are epoch milliseconds as in Elasticsearch, except
 * that small values are taken as seconds and very large ones as micro- or nanoseconds, since shippers
 * configured for other stores send those.
 */
final class EsTimestamps {
  private EsTimestamps() {}

  /** Unix nanoseconds of {@code text}, or throws {@link IllegalArgumentException} saying why not. */
  static long parseNanos(String text, boolean isNumber) {
    String s = text.trim();
    if (isNumber || (!s.isEmpty() && (Character.isDigit(s.charAt(0)) || s.charAt(0) == '-') && isNumeric(s))) {
      return fromNumber(s);
    }
    try {
      Instant t;
      if (s.length() == 10) {
        t = LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
      } else if (hasOffset(s)) {
        t = OffsetDateTime.parse(s.replace(' ', 'T')).toInstant();
      } else {
        t = LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
      }
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException("failed to parse date field [" + s
          + "] with format [strict_date_optional_time||epoch_millis]");
    }
  }

  private static boolean hasOffset(String s) {
    if (s.endsWith("Z") || s.endsWith("z")) return true;
    int t = s.indexOf('T');
    if (t < 0) t = s.indexOf(' ');
    return t >= 0 && (s.indexOf('+', t) >= 0 || s.indexOf('-', t) >= 0);
  }

  private static boolean isNumeric(String s) {
    for (int i = s.charAt(0) == '-' ? 1 : 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if ((ch < '0' || ch > '9') && ch != '.') return false;
    }
    return true;
  }

  private static long fromNumber(String s) {
    BigDecimal v;
    try {
      v = new BigDecimal(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("failed to parse date field [" + s + "]: not a number");
    }
    BigDecimal abs = v.abs();
    BigDecimal nanos;
    if (abs.compareTo(BigDecimal.valueOf(100_000_000_000L)) < 0) nanos = v.movePointRight(9); // seconds
    else if (abs.compareTo(BigDecimal.valueOf(100_000_000_000_000L)) < 0) nanos = v.movePointRight(6); // millis
    else if (abs.compareTo(new BigDecimal("1e17")) < 0) nanos = v.movePointRight(3); // micros
    else nanos = v;
    try {
      return nanos.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("failed to parse date field [" + s + "]: out of range");
    }
  }
}
