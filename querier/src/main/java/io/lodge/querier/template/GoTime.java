package io.lodge.querier.template;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A Go {@code time.Time}: an instant, the location it is shown in, and (for {@code now} only) a
 * monotonic clock reading, which Go appends to {@code String()} as {@code m=+0.000123456}.
 * Locations are {@link ZoneId}s: a region (including {@code UTC}) shows its abbreviation; a bare
 * {@link ZoneOffset} is Go's nameless fixed zone and shows {@code -0700} instead.
 */
record GoTime(long epochSecond, int nano, ZoneId zone, long monotonicNanos) {
  static final long NO_MONOTONIC = Long.MIN_VALUE;
  static final ZoneId UTC = ZoneId.of("UTC");
  private static final long PROCESS_START = System.nanoTime();
  private static final DateTimeFormatter ABBREVIATION = DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH);

  /** Go's {@code time.Local}: the process's zone (TZ), UTC when unset. */
  static ZoneId localZone() {
    ZoneId z = ZoneId.systemDefault();
    return z.getId().equals("Etc/UTC") || z.getId().equals("Z") ? UTC : z;
  }

  /** {@code time.Unix(0, nanos)} in the local zone. */
  static GoTime ofUnixNanos(long nanos) {
    return new GoTime(Math.floorDiv(nanos, 1_000_000_000L), (int) Math.floorMod(nanos, 1_000_000_000L),
        localZone(), NO_MONOTONIC);
  }

  /** {@code time.Unix(sec, nsec)} in the local zone. */
  static GoTime ofUnix(long sec, long nsec) {
    long s = sec + Math.floorDiv(nsec, 1_000_000_000L);
    return new GoTime(s, (int) Math.floorMod(nsec, 1_000_000_000L), localZone(), NO_MONOTONIC);
  }

  /** {@code time.Now()}, with a monotonic reading. */
  static GoTime now() {
    Instant i = Instant.now();
    return new GoTime(i.getEpochSecond(), i.getNano(), localZone(), System.nanoTime() - PROCESS_START + 1);
  }

  /** Go's zero time, 0001-01-01 00:00:00 UTC (what failed {@code toDate} parses return). */
  static GoTime zero() {
    return new GoTime(-62135596800L, 0, UTC, NO_MONOTONIC);
  }

  /** {@code t.In(zone)} (drops the monotonic reading, as Go does). */
  GoTime in(ZoneId z) {
    return new GoTime(epochSecond, nano, z, NO_MONOTONIC);
  }

  long unix() {
    return epochSecond;
  }

  /** {@code t.UnixMilli()}. */
  long unixMilli() {
    return Math.multiplyExact(epochSecond, 1000L) + nano / 1_000_000;
  }

  /** {@code t.UnixNano()}; Go's result is undefined outside ~1678..2262, Java's wraps likewise. */
  long unixNano() {
    return epochSecond * 1_000_000_000L + nano;
  }

  ZoneOffset offset() {
    return zone.getRules().getOffset(Instant.ofEpochSecond(epochSecond, nano));
  }

  LocalDateTime dateTime() {
    return LocalDateTime.ofEpochSecond(epochSecond, nano, offset());
  }

  /** The zone abbreviation Go prints for {@code MST}, or "" for a nameless fixed zone. */
  String abbreviation() {
    if (zone instanceof ZoneOffset) return "";
    String id = zone.getId();
    if (id.equals("UTC") || id.equals("Etc/UTC") || id.equals("Etc/Universal")) return "UTC";
    if (id.equals("GMT") || id.equals("Etc/GMT")) return "GMT";
    String a = ZonedDateTime.ofInstant(Instant.ofEpochSecond(epochSecond, nano), zone).format(ABBREVIATION);
    if (a.startsWith("GMT+") || a.startsWith("GMT-")) {
      // Zones without a letter abbreviation: Go shows "+03" or "+0530".
      String s = a.substring(3).replace(":", "");
      if (s.length() == 5 && s.endsWith("00")) s = s.substring(0, 3);
      return s;
    }
    return a;
  }

  /** Go's {@code t.String()}: {@code 2006-01-02 15:04:05.999999999 -0700 MST [m=±s.nnnnnnnnn]}. */
  void appendString(StringBuilder b) {
    GoTimeLayout.format(b, this, "2006-01-02 15:04:05.999999999 -0700 MST");
    if (monotonicNanos != NO_MONOTONIC) {
      long m = monotonicNanos;
      b.append(" m=").append(m < 0 ? '-' : '+');
      m = Math.abs(m);
      b.append(m / 1_000_000_000L).append('.');
      String frac = Long.toString(m % 1_000_000_000L);
      b.append("0".repeat(9 - frac.length())).append(frac);
    }
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    appendString(b);
    return b.toString();
  }
}
