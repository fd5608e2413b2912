package io.lodge.querier.template;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Go's reference-time layouts ({@code Mon Jan 2 15:04:05 MST 2006}) for {@code time.Format} and
 * {@code time.ParseInLocation}, as Sprig's {@code date}/{@code toDate} and Loki's
 * {@code toDateInZone} use them. Parsing returns null on any mismatch: those functions turn every
 * parse failure into Go's zero time, so the reason is never shown.
 */
final class GoTimeLayout {
  private GoTimeLayout() {}

  private static final String[] LONG_MONTHS = {"January", "February", "March", "April", "May",
      "June", "July", "August", "September", "October", "November", "December"};
  private static final String[] LONG_DAYS = {"Sunday", "Monday", "Tuesday", "Wednesday",
      "Thursday", "Friday", "Saturday"};

  /** Layout element kinds (Go's std* constants). */
  private enum Std {
    NONE, LONG_MONTH, MONTH, NUM_MONTH, ZERO_MONTH, LONG_WEEKDAY, WEEKDAY, DAY, UNDER_DAY, ZERO_DAY,
    UNDER_YEARDAY, ZERO_YEARDAY, HOUR, HOUR12, ZERO_HOUR12, MINUTE, ZERO_MINUTE, SECOND,
    ZERO_SECOND, LONG_YEAR, YEAR, PM_UPPER, PM_LOWER, TZ, ISO_TZ, ISO_SHORT_TZ, ISO_COLON_TZ,
    ISO_SECONDS_TZ, ISO_COLON_SECONDS_TZ, NUM_TZ, NUM_SHORT_TZ, NUM_COLON_TZ, NUM_SECONDS_TZ,
    NUM_COLON_SECONDS_TZ, FRAC0, FRAC9
  }

  /** One chunk: literal text before the element, the element, its length and fraction digits. */
  private record Chunk(int literalEnd, Std std, int stdEnd, int fracDigits, char fracSep) {}

  private static Chunk nextChunk(String l, int from) {
    for (int i = from; i < l.length(); i++) {
      char c = l.charAt(i);
      switch (c) {
        case 'J' -> {
          if (l.startsWith("January", i)) return new Chunk(i, Std.LONG_MONTH, i + 7, 0, '.');
          if (l.startsWith("Jan", i)) return new Chunk(i, Std.MONTH, i + 3, 0, '.');
        }
        case 'M' -> {
          if (l.startsWith("Monday", i)) return new Chunk(i, Std.LONG_WEEKDAY, i + 6, 0, '.');
          if (l.startsWith("Mon", i)) return new Chunk(i, Std.WEEKDAY, i + 3, 0, '.');
          if (l.startsWith("MST", i)) return new Chunk(i, Std.TZ, i + 3, 0, '.');
        }
        case '0' -> {
          if (i + 1 < l.length() && l.charAt(i + 1) >= '1' && l.charAt(i + 1) <= '6') {
            Std s = switch (l.charAt(i + 1)) {
              case '1' -> Std.ZERO_MONTH;
              case '2' -> Std.ZERO_DAY;
              case '3' -> Std.ZERO_HOUR12;
              case '4' -> Std.ZERO_MINUTE;
              case '5' -> Std.ZERO_SECOND;
              default -> Std.YEAR;
            };
            return new Chunk(i, s, i + 2, 0, '.');
          }
          if (l.startsWith("002", i)) return new Chunk(i, Std.ZERO_YEARDAY, i + 3, 0, '.');
        }
        case '1' -> {
          if (l.startsWith("15", i)) return new Chunk(i, Std.HOUR, i + 2, 0, '.');
          return new Chunk(i, Std.NUM_MONTH, i + 1, 0, '.');
        }
        case '2' -> {
          if (l.startsWith("2006", i)) return new Chunk(i, Std.LONG_YEAR, i + 4, 0, '.');
          return new Chunk(i, Std.DAY, i + 1, 0, '.');
        }
        case '_' -> {
          if (l.startsWith("_2", i)) {
            if (l.startsWith("_2006", i)) return new Chunk(i + 1, Std.LONG_YEAR, i + 5, 0, '.');
            return new Chunk(i, Std.UNDER_DAY, i + 2, 0, '.');
          }
          if (l.startsWith("__2", i)) return new Chunk(i, Std.UNDER_YEARDAY, i + 3, 0, '.');
        }
        case '3' -> {
          return new Chunk(i, Std.HOUR12, i + 1, 0, '.');
        }
        case '4' -> {
          return new Chunk(i, Std.MINUTE, i + 1, 0, '.');
        }
        case '5' -> {
          return new Chunk(i, Std.SECOND, i + 1, 0, '.');
        }
        case 'P' -> {
          if (l.startsWith("PM", i)) return new Chunk(i, Std.PM_UPPER, i + 2, 0, '.');
        }
        case 'p' -> {
          if (l.startsWith("pm", i)) return new Chunk(i, Std.PM_LOWER, i + 2, 0, '.');
        }
        case '-' -> {
          if (l.startsWith("-07:00:00", i)) return new Chunk(i, Std.NUM_COLON_SECONDS_TZ, i + 9, 0, '.');
          if (l.startsWith("-070000", i)) return new Chunk(i, Std.NUM_SECONDS_TZ, i + 7, 0, '.');
          if (l.startsWith("-07:00", i)) return new Chunk(i, Std.NUM_COLON_TZ, i + 6, 0, '.');
          if (l.startsWith("-0700", i)) return new Chunk(i, Std.NUM_TZ, i + 5, 0, '.');
          if (l.startsWith("-07", i)) return new Chunk(i, Std.NUM_SHORT_TZ, i + 3, 0, '.');
        }
        case 'Z' -> {
          if (l.startsWith("Z07:00:00", i)) return new Chunk(i, Std.ISO_COLON_SECONDS_TZ, i + 9, 0, '.');
          if (l.startsWith("Z070000", i)) return new Chunk(i, Std.ISO_SECONDS_TZ, i + 7, 0, '.');
          if (l.startsWith("Z07:00", i)) return new Chunk(i, Std.ISO_COLON_TZ, i + 6, 0, '.');
          if (l.startsWith("Z0700", i)) return new Chunk(i, Std.ISO_TZ, i + 5, 0, '.');
          if (l.startsWith("Z07", i)) return new Chunk(i, Std.ISO_SHORT_TZ, i + 3, 0, '.');
        }
        case '.', ',' -> {
          if (i + 1 < l.length() && (l.charAt(i + 1) == '0' || l.charAt(i + 1) == '9')) {
            char ch = l.charAt(i + 1);
            int j = i + 1;
            while (j < l.length() && l.charAt(j) == ch) j++;
            if (!(j < l.length() && Character.isDigit(l.charAt(j)))) {
              return new Chunk(i, ch == '0' ? Std.FRAC0 : Std.FRAC9, j, j - (i + 1), c);
            }
          }
        }
        default -> {}
      }
    }
    return new Chunk(l.length(), Std.NONE, l.length(), 0, '.');
  }

  private static void pad(StringBuilder b, long v, int width) {
    if (v < 0) {
      b.append('-');
      v = -v;
    }
    String s = Long.toString(v);
    for (int k = s.length(); k < width; k++) b.append('0');
    b.append(s);
  }

  /** Go's {@code t.Format(layout)}. */
  static void format(StringBuilder b, GoTime t, String layout) {
    LocalDateTime d = t.dateTime();
    int offset = t.offset().getTotalSeconds();
    int pos = 0;
    while (pos < layout.length()) {
      Chunk c = nextChunk(layout, pos);
      b.append(layout, pos, c.literalEnd());
      pos = c.stdEnd();
      switch (c.std()) {
        case NONE -> {}
        case YEAR -> pad(b, Math.floorMod(d.getYear(), 100), 2);
        case LONG_YEAR -> pad(b, d.getYear(), 4);
        case MONTH -> b.append(LONG_MONTHS[d.getMonthValue() - 1], 0, 3);
        case LONG_MONTH -> b.append(LONG_MONTHS[d.getMonthValue() - 1]);
        case NUM_MONTH -> b.append(d.getMonthValue());
        case ZERO_MONTH -> pad(b, d.getMonthValue(), 2);
        case WEEKDAY -> b.append(LONG_DAYS[d.getDayOfWeek().getValue() % 7], 0, 3);
        case LONG_WEEKDAY -> b.append(LONG_DAYS[d.getDayOfWeek().getValue() % 7]);
        case DAY -> b.append(d.getDayOfMonth());
        case UNDER_DAY -> {
          if (d.getDayOfMonth() < 10) b.append(' ');
          b.append(d.getDayOfMonth());
        }
        case ZERO_DAY -> pad(b, d.getDayOfMonth(), 2);
        case UNDER_YEARDAY -> {
          int y = d.getDayOfYear();
          if (y < 100) b.append(' ');
          if (y < 10) b.append(' ');
          b.append(y);
        }
        case ZERO_YEARDAY -> pad(b, d.getDayOfYear(), 3);
        case HOUR -> pad(b, d.getHour(), 2);
        case HOUR12 -> b.append(d.getHour() % 12 == 0 ? 12 : d.getHour() % 12);
        case ZERO_HOUR12 -> pad(b, d.getHour() % 12 == 0 ? 12 : d.getHour() % 12, 2);
        case MINUTE -> b.append(d.getMinute());
        case ZERO_MINUTE -> pad(b, d.getMinute(), 2);
        case SECOND -> b.append(d.getSecond());
        case ZERO_SECOND -> pad(b, d.getSecond(), 2);
        case PM_UPPER -> b.append(d.getHour() >= 12 ? "PM" : "AM");
        case PM_LOWER -> b.append(d.getHour() >= 12 ? "pm" : "am");
        case ISO_TZ, ISO_SHORT_TZ, ISO_COLON_TZ, ISO_SECONDS_TZ, ISO_COLON_SECONDS_TZ,
            NUM_TZ, NUM_SHORT_TZ, NUM_COLON_TZ, NUM_SECONDS_TZ, NUM_COLON_SECONDS_TZ ->
            appendOffset(b, c.std(), offset);
        case TZ -> {
          String name = t.abbreviation();
          if (!name.isEmpty()) {
            b.append(name);
          } else {
            int z = offset / 60;
            b.append(z < 0 ? '-' : '+');
            z = Math.abs(z);
            pad(b, z / 60, 2);
            pad(b, z % 60, 2);
          }
        }
        case FRAC0, FRAC9 -> appendFraction(b, t.nano(), c.fracDigits(), c.std() == Std.FRAC9, c.fracSep());
      }
    }
  }

  private static void appendOffset(StringBuilder b, Std std, int offset) {
    boolean iso = std.name().startsWith("ISO");
    if (iso && offset == 0) {
      b.append('Z');
      return;
    }
    int zone = offset / 60;
    int absOffset = Math.abs(offset);
    b.append(zone < 0 ? '-' : '+');
    zone = Math.abs(zone);
    pad(b, zone / 60, 2);
    boolean colon = std.name().contains("COLON");
    if (std != Std.ISO_SHORT_TZ && std != Std.NUM_SHORT_TZ) {
      if (colon) b.append(':');
      pad(b, zone % 60, 2);
    }
    if (std.name().contains("SECONDS")) {
      if (colon) b.append(':');
      pad(b, absOffset % 60, 2);
    }
  }

  private static void appendFraction(StringBuilder b, int nanos, int digits, boolean trim, char sep) {
    String s = Long.toString(1_000_000_000L + nanos).substring(1);
    if (digits > 9) digits = 9;
    s = s.substring(0, digits);
    if (trim) {
      int end = s.length();
      while (end > 0 && s.charAt(end - 1) == '0') end--;
      if (end == 0) return;
      s = s.substring(0, end);
    }
    b.append(sep).append(s);
  }

  /** Go's {@code time.ParseInLocation(layout, value, loc)}, or null when it would fail. */
  static GoTime parse(String layout, String value, ZoneId loc) {
    int year = 0;
    int month = -1;
    int day = -1;
    int hour = 0;
    int min = 0;
    int sec = 0;
    int nsec = 0;
    boolean pm = false;
    boolean am = false;
    Integer zoneOffset = null;
    boolean utc = false;
    int lp = 0;
    int vp = 0;
    while (true) {
      Chunk c = nextChunk(layout, lp);
      String literal = layout.substring(lp, c.literalEnd());
      if (!value.startsWith(literal, vp)) return null;
      vp += literal.length();
      lp = c.stdEnd();
      if (c.std() == Std.NONE) {
        if (vp != value.length()) return null;
        break;
      }
      String v = value.substring(vp);
      int[] n = new int[1];
      int used;
      switch (c.std()) {
        case YEAR -> {
          if (v.length() < 2 || !digits(v, 0, 2)) return null;
          int y = Integer.parseInt(v.substring(0, 2));
          year = y >= 69 ? 1900 + y : 2000 + y;
          used = 2;
        }
        case LONG_YEAR -> {
          if (v.length() < 4 || !digits(v, 0, 4)) return null;
          year = Integer.parseInt(v.substring(0, 4));
          used = 4;
        }
        case MONTH, LONG_MONTH -> {
          used = -1;
          for (int k = 0; k < 12; k++) {
            String name = c.std() == Std.MONTH ? LONG_MONTHS[k].substring(0, 3) : LONG_MONTHS[k];
            if (v.regionMatches(true, 0, name, 0, name.length())) {
              month = k + 1;
              used = name.length();
              break;
            }
          }
          if (used < 0) return null;
        }
        case WEEKDAY, LONG_WEEKDAY -> {
          used = -1;
          for (String d : LONG_DAYS) {
            String name = c.std() == Std.WEEKDAY ? d.substring(0, 3) : d;
            if (v.regionMatches(true, 0, name, 0, name.length())) {
              used = name.length();
              break;
            }
          }
          if (used < 0) return null;
        }
        case NUM_MONTH, ZERO_MONTH -> {
          used = getnum(v, c.std() == Std.ZERO_MONTH, n);
          month = n[0];
          if (used < 0 || month < 1 || month > 12) return null;
        }
        case DAY, UNDER_DAY, ZERO_DAY -> {
          int skip = c.std() == Std.UNDER_DAY && v.startsWith(" ") ? 1 : 0;
          used = getnum(v.substring(skip), c.std() == Std.ZERO_DAY, n);
          if (used < 0) return null;
          used += skip;
          day = n[0];
        }
        case UNDER_YEARDAY, ZERO_YEARDAY -> {
          return null;
        }
        case HOUR -> {
          used = getnum(v, false, n);
          hour = n[0];
          if (used < 0 || hour > 23) return null;
        }
        case HOUR12, ZERO_HOUR12 -> {
          used = getnum(v, c.std() == Std.ZERO_HOUR12, n);
          hour = n[0];
          if (used < 0 || hour > 12) return null;
        }
        case MINUTE, ZERO_MINUTE -> {
          used = getnum(v, c.std() == Std.ZERO_MINUTE, n);
          min = n[0];
          if (used < 0 || min > 59) return null;
        }
        case SECOND, ZERO_SECOND -> {
          used = getnum(v, c.std() == Std.ZERO_SECOND, n);
          sec = n[0];
          if (used < 0 || sec > 59) return null;
          // A fraction after the seconds is accepted even when the layout has none.
          Std following = nextChunk(layout, lp).std();
          if (v.length() >= used + 2 && (v.charAt(used) == '.' || v.charAt(used) == ',')
              && Character.isDigit(v.charAt(used + 1)) && following != Std.FRAC0
              && following != Std.FRAC9) {
            int e = used + 1;
            while (e < v.length() && Character.isDigit(v.charAt(e))) e++;
            nsec = nanos(v.substring(used + 1, e));
            used = e;
          }
        }
        case PM_UPPER, PM_LOWER -> {
          if (v.length() < 2) return null;
          String p = v.substring(0, 2);
          String pmText = c.std() == Std.PM_UPPER ? "PM" : "pm";
          String amText = c.std() == Std.PM_UPPER ? "AM" : "am";
          if (p.equals(pmText)) {
            pm = true;
          } else if (p.equals(amText)) {
            am = true;
          } else {
            return null;
          }
          used = 2;
        }
        case ISO_TZ, ISO_SHORT_TZ, ISO_COLON_TZ, ISO_SECONDS_TZ, ISO_COLON_SECONDS_TZ,
            NUM_TZ, NUM_SHORT_TZ, NUM_COLON_TZ, NUM_SECONDS_TZ, NUM_COLON_SECONDS_TZ -> {
          if (c.std().name().startsWith("ISO") && v.startsWith("Z")) {
            utc = true;
            used = 1;
            break;
          }
          int[] off = new int[1];
          used = parseOffset(v, c.std(), off);
          if (used < 0) return null;
          zoneOffset = off[0];
        }
        case TZ -> {
          if (v.startsWith("UTC")) {
            utc = true;
            used = 3;
            break;
          }
          int e = 0;
          while (e < v.length() && e < 5 && Character.isUpperCase(v.charAt(e))) e++;
          if (e < 3) return null;
          used = e;
          zoneOffset = 0;
        }
        case FRAC0 -> {
          int nd = 1 + c.fracDigits();
          if (v.length() < nd || v.charAt(0) != c.fracSep() && v.charAt(0) != ',' && v.charAt(0) != '.'
              || !digits(v, 1, nd)) {
            return null;
          }
          nsec = nanos(v.substring(1, nd));
          used = nd;
        }
        case FRAC9 -> {
          if (v.length() < 2 || (v.charAt(0) != '.' && v.charAt(0) != ',')
              || !Character.isDigit(v.charAt(1))) {
            used = 0;
            break;
          }
          int e = 1;
          while (e < v.length() && Character.isDigit(v.charAt(e))) e++;
          nsec = nanos(v.substring(1, e));
          used = e;
        }
        default -> {
          return null;
        }
      }
      vp += used;
    }
    if (pm && hour < 12) {
      hour += 12;
    } else if (am && hour == 12) {
      hour = 0;
    }
    if (month < 0) month = 1;
    if (day < 0) day = 1;
    LocalDateTime ldt;
    try {
      if (day > java.time.YearMonth.of(year, month).lengthOfMonth()) return null;
      ldt = LocalDateTime.of(year, month, day, hour, min, sec, nsec);
    } catch (DateTimeException e) {
      return null;
    }
    if (utc) {
      return new GoTime(ldt.toEpochSecond(ZoneOffset.UTC), nsec, GoTime.UTC, GoTime.NO_MONOTONIC);
    }
    if (zoneOffset != null) {
      ZoneOffset zo = ZoneOffset.ofTotalSeconds(zoneOffset);
      long es = ldt.toEpochSecond(zo);
      GoTime t = new GoTime(es, nsec, loc, GoTime.NO_MONOTONIC);
      if (t.offset().getTotalSeconds() == zoneOffset) return t;
      return new GoTime(es, nsec, zo, GoTime.NO_MONOTONIC);
    }
    long es = ldt.atZone(loc).toEpochSecond();
    return new GoTime(es, nsec, loc, GoTime.NO_MONOTONIC);
  }

  private static boolean digits(String v, int from, int to) {
    for (int k = from; k < to; k++) if (!Character.isDigit(v.charAt(k)) || v.charAt(k) > '9') return false;
    return true;
  }

  /** Go's {@code getnum}: one or two digits ({@code fixed}: exactly two); returns length used. */
  private static int getnum(String v, boolean fixed, int[] out) {
    if (v.isEmpty() || !isAsciiDigit(v.charAt(0))) return -1;
    if (v.length() < 2 || !isAsciiDigit(v.charAt(1))) {
      if (fixed) return -1;
      out[0] = v.charAt(0) - '0';
      return 1;
    }
    out[0] = (v.charAt(0) - '0') * 10 + (v.charAt(1) - '0');
    return 2;
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int nanos(String digits) {
    String d = digits.length() > 9 ? digits.substring(0, 9) : digits;
    return Integer.parseInt(d + "0".repeat(9 - d.length()));
  }

  private static int parseOffset(String v, Std std, int[] out) {
    boolean colon = std.name().contains("COLON");
    boolean seconds = std.name().contains("SECONDS");
    boolean shortForm = std == Std.ISO_SHORT_TZ || std == Std.NUM_SHORT_TZ;
    int need = shortForm ? 3 : colon ? (seconds ? 9 : 6) : (seconds ? 7 : 5);
    if (v.length() < need) return -1;
    char sign = v.charAt(0);
    if (sign != '+' && sign != '-') return -1;
    String hh = v.substring(1, 3);
    String mm = "00";
    String ss = "00";
    if (!shortForm) {
      if (colon && v.charAt(3) != ':') return -1;
      mm = v.substring(colon ? 4 : 3, colon ? 6 : 5);
      if (seconds) {
        if (colon && v.charAt(6) != ':') return -1;
        ss = v.substring(colon ? 7 : 5, colon ? 9 : 7);
      }
    }
    if (!digits(hh, 0, 2) || !digits(mm, 0, 2) || !digits(ss, 0, 2)) return -1;
    int off = (Integer.parseInt(hh) * 60 + Integer.parseInt(mm)) * 60 + Integer.parseInt(ss);
    out[0] = sign == '-' ? -off : off;
    return need;
  }
}
