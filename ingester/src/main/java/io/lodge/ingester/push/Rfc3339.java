package io.lodge.ingester.push;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * Go's strict RFC 3339 timestamp parsing as used by {@code time.Time.UnmarshalJSON} (legacy JSON push,
 * LOKI-COMPAT 1.4.3): {@code YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)}, fraction digits past the
 * ninth are dropped. The result is Unix nanoseconds, clamped to the long range like protobuf timestamps.
 */
final class Rfc3339 {
  private Rfc3339() {}

  /**
   * Parses {@code s}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static long parseNanos(String s) {
    int n = s.length();
    if (n < 19) throw bad(s, "too short");
    int year = digits(s, 0, 4);
    expect(s, 4, '-');
    int month = digits(s, 5, 2);
    expect(s, 7, '-');
    int day = digits(s, 8, 2);
    expect(s, 10, 'T');
    int hour = digits(s, 11, 2);
    expect(s, 13, ':');
    int minute = digits(s, 14, 2);
    expect(s, 16, ':');
    int second = digits(s, 17, 2);
    if (hour > 23 || minute > 59 || second > 59) throw bad(s, "time out of range");
    int p = 19;
    int nanos = 0;
    if (p < n && s.charAt(p) == '.') {
      p++;
      int start = p;
      while (p < n && s.charAt(p) >= '0' && s.charAt(p) <= '9') {
        if (p - start < 9) nanos = nanos * 10 + (s.charAt(p) - '0');
        p++;
      }
      if (p == start) throw bad(s, "fraction without digits");
      for (int k = Math.min(p - start, 9); k < 9; k++) nanos *= 10;
    }
    if (p == n) throw bad(s, "missing time zone");
    int offsetSeconds;
    char z = s.charAt(p);
    if (z == 'Z') {
      offsetSeconds = 0;
      p++;
    } else if (z == '+' || z == '-') {
      if (n - p != 6) throw bad(s, "bad time zone offset");
      int oh = digits(s, p + 1, 2);
      expect(s, p + 3, ':');
      int om = digits(s, p + 4, 2);
      if (oh > 23 || om > 59) throw bad(s, "time zone offset out of range");
      offsetSeconds = (oh * 3600 + om * 60) * (z == '-' ? -1 : 1);
      p += 6;
    } else {
      throw bad(s, "bad time zone");
    }
    if (p != n) throw bad(s, "extra text after the time zone");
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      throw bad(s, "day out of range");
    }
    long seconds = epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
    return ProtobufPushDecoder.toUnixNanos(seconds, nanos);
  }

  private static int digits(String s, int at, int count) {
    int v = 0;
    for (int k = at; k < at + count; k++) {
      char c = k < s.length() ? s.charAt(k) : 0;
      if (c < '0' || c > '9') throw bad(s, "expected a digit at offset " + k);
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static void expect(String s, int at, char c) {
    if (at >= s.length() || s.charAt(at) != c) throw bad(s, "expected '" + c + "' at offset " + at);
  }

  private static IllegalArgumentException bad(String s, String why) {
    return new IllegalArgumentException("cannot parse \"" + s + "\" as an RFC 3339 time: " + why);
  }
}
