package io.lodge.querier.pipeline.label;

import io.lodge.ingester.model.GoQuote;
import io.lodge.querier.logql.GoUnits;
import java.util.Locale;

/**
 * The conversions label filters apply to label values, with Go's results and error messages: {@code
 * strconv.ParseFloat}, {@code time.ParseDuration} and go-humanize's {@code ParseBytes}.
 */
public final class GoNumbers {

  /** A value that does not convert; the message is Go's. */
  public static final class ConversionException extends Exception {
    ConversionException(String message) {
      super(message, null, false, false);
    }
  }

  private GoNumbers() {}

  /** Go's {@code strconv.ParseFloat(s, 64)}. */
  public static double parseFloat(String s) throws ConversionException {
    String t = s;
    int i = 0;
    boolean neg = false;
    if (!t.isEmpty() && (t.charAt(0) == '+' || t.charAt(0) == '-')) {
      neg = t.charAt(0) == '-';
      i = 1;
    }
    String body = t.substring(i).toLowerCase(Locale.ROOT);
    if (body.equals("inf") || body.equals("infinity")) return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    if (body.equals("nan") && i == 0) return Double.NaN;
    double v;
    if (body.startsWith("0x")) {
      if (!body.matches("0x(_?[0-9a-f])*(\\.[0-9a-f]*)?p[+-]?[0-9]+") || body.equals("0xp")) throw syntax(s);
      try {
        v = Double.parseDouble((neg ? "-" : "") + body.replace("_", ""));
      } catch (NumberFormatException e) {
        throw syntax(s);
      }
    } else {
      if (!body.matches("([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?")) throw syntax(s);
      v = Double.parseDouble(t);
    }
    if (Double.isInfinite(v)) throw new ConversionException("strconv.ParseFloat: parsing " + GoQuote.quote(s) + ": value out of range");
    return v;
  }

  private static ConversionException syntax(String s) {
    return new ConversionException("strconv.ParseFloat: parsing " + GoQuote.quote(s) + ": invalid syntax");
  }

  /** Go's {@code time.ParseDuration}, in nanoseconds. */
  public static long parseDuration(String orig) throws ConversionException {
    String s = orig;
    boolean neg = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      neg = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) return 0;
    if (s.isEmpty()) throw invalidDuration(orig);
    long max = Long.MIN_VALUE; // 1<<63 as unsigned
    long d = 0;
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (!(c == '.' || (c >= '0' && c <= '9'))) throw invalidDuration(orig);
      int start = i;
      long v = 0;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        if (Long.compareUnsigned(v, Long.divideUnsigned(max, 10)) > 0) throw invalidDuration(orig);
        v = v * 10 + (s.charAt(i) - '0');
        if (Long.compareUnsigned(v, max) > 0) throw invalidDuration(orig);
        i++;
      }
      boolean pre = i != start;
      boolean post = false;
      long f = 0;
      double scale = 1;
      if (i < n && s.charAt(i) == '.') {
        i++;
        int fs = i;
        boolean overflow = false;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          if (!overflow) {
            long y = f * 10 + (s.charAt(i) - '0');
            if (f > Long.MAX_VALUE / 10 || Long.compareUnsigned(y, max) > 0) {
              overflow = true;
            } else {
              f = y;
              scale *= 10;
            }
          }
          i++;
        }
        post = i != fs;
      }
      if (!pre && !post) throw invalidDuration(orig);
      int us = i;
      while (i < n && s.charAt(i) != '.' && !(s.charAt(i) >= '0' && s.charAt(i) <= '9')) i++;
      if (i == us) throw new ConversionException("time: missing unit in duration " + GoQuote.quote(orig));
      String u = s.substring(us, i);
      Long unit = GoUnits.DURATION_NANOS.get(u);
      if (unit == null) {
        throw new ConversionException("time: unknown unit " + GoQuote.quote(u) + " in duration " + GoQuote.quote(orig));
      }
      if (Long.compareUnsigned(v, Long.divideUnsigned(max, unit)) > 0) throw invalidDuration(orig);
      v *= unit;
      if (f > 0) {
        v += (long) (f * (unit / scale));
        if (Long.compareUnsigned(v, max) > 0) throw invalidDuration(orig);
      }
      d += v;
      if (Long.compareUnsigned(d, max) > 0) throw invalidDuration(orig);
    }
    if (neg) return -d;
    if (d < 0) throw invalidDuration(orig);
    return d;
  }

  private static ConversionException invalidDuration(String orig) {
    return new ConversionException("time: invalid duration " + GoQuote.quote(orig));
  }

  /** go-humanize's {@code ParseBytes}, as an unsigned 64-bit value. */
  public static long parseBytes(String s) throws ConversionException {
    int last = 0;
    boolean comma = false;
    while (last < s.length()) {
      char c = s.charAt(last);
      if (!(Character.isDigit(c) || c == '.' || c == ',')) break;
      comma |= c == ',';
      last++;
    }
    String num = s.substring(0, last);
    if (comma) num = num.replace(",", "");
    double f = parseFloat(num);
    String extra = s.substring(last).strip().toLowerCase(Locale.ROOT);
    Long m = GoUnits.BYTES.get(extra);
    if (m == null) throw new ConversionException("unhandled size name: " + extra);
    f *= m;
    if (f >= 18446744073709551615.0) throw new ConversionException("too large: " + s);
    if (f >= 9223372036854775808.0) return (long) (f - 9223372036854775808.0) ^ Long.MIN_VALUE;
    return (long) f;
  }
}
