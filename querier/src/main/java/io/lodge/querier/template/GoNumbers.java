package io.lodge.querier.template;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Go's number syntax and conversions: template number literals ({@code parse.NumberNode}),
 * {@code strconv.ParseInt(s, 0, 64)} / {@code ParseFloat}, and the lenient {@code spf13/cast}
 * conversions behind Sprig's math functions (unparsable input becomes 0, never an error).
 */
final class GoNumbers {
  private GoNumbers() {}

  private static final BigInteger MIN_INT64 = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger MAX_INT64 = BigInteger.valueOf(Long.MAX_VALUE);
  private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final Pattern DECIMAL_FLOAT =
      Pattern.compile("[+-]?(\\d(_?\\d)*)?(\\.(\\d(_?\\d)*)?)?([eE][+-]?\\d(_?\\d)*)?");
  private static final Pattern HEX_FLOAT = Pattern.compile(
      "[+-]?0[xX](_?[0-9a-fA-F])*(\\.([0-9a-fA-F](_?[0-9a-fA-F])*)?)?[pP][+-]?\\d(_?\\d)*");
  private static final Pattern SPECIAL = Pattern.compile("[+-]?(?i:inf|infinity|nan)");

  /** A template number literal; throws with Go's message if it is not a valid Go number. */
  static TemplateNode.Number literal(int pos, String text, boolean isChar) {
    if (isChar) {
      String s;
      try {
        s = GoQuote.unquote(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("malformed character constant: " + text);
      }
      int r = s.codePointAt(0);
      return new TemplateNode.Number(pos, text, true, r, true, true, r);
    }
    if (text.endsWith("i")) throw new IllegalArgumentException("complex numbers are not supported: " + text);
    BigInteger u = parseInteger(text, false);
    BigInteger s = parseInteger(text, true);
    boolean isUint = u != null && u.compareTo(MAX_UINT64) <= 0;
    boolean isInt = s != null && s.compareTo(MIN_INT64) >= 0 && s.compareTo(MAX_INT64) <= 0;
    long intValue = isInt ? s.longValue() : 0;
    if (isInt && intValue == 0) isUint = true;
    boolean isFloat = false;
    double f = 0;
    if (isInt) {
      isFloat = true;
      f = intValue;
    } else if (isUint) {
      isFloat = true;
      f = u.doubleValue();
    } else {
      Double d = parseFloat(text);
      if (d != null) {
        if (!containsAny(text, ".eEpP")) {
          throw new IllegalArgumentException("integer overflow: " + GoQuote.quote(text));
        }
        isFloat = true;
        f = d;
        if (f == Math.rint(f) && Math.abs(f) < 0x1p63) {
          isInt = true;
          intValue = (long) f;
        }
        if (f == Math.rint(f) && f >= 0 && f < 0x1p64) isUint = true;
      }
    }
    if (!isInt && !isUint && !isFloat) {
      throw new IllegalArgumentException("illegal number syntax: " + GoQuote.quote(text));
    }
    return new TemplateNode.Number(pos, text, isInt, intValue, isUint, isFloat, f);
  }

  static boolean containsAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) if (chars.indexOf(s.charAt(i)) >= 0) return true;
    return false;
  }

  /** {@code strconv.ParseInt/ParseUint(s, 0, ·)} without the range check; null if malformed. */
  static BigInteger parseInteger(String s, boolean signed) {
    if (s.isEmpty()) return null;
    boolean neg = false;
    int i = 0;
    if (signed && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
      neg = s.charAt(0) == '-';
      i = 1;
    }
    int base = 10;
    if (s.startsWith("0", i) && s.length() > i + 1) {
      char c = Character.toLowerCase(s.charAt(i + 1));
      if (c == 'x') {
        base = 16;
        i += 2;
      } else if (c == 'o') {
        base = 8;
        i += 2;
      } else if (c == 'b') {
        base = 2;
        i += 2;
      } else {
        base = 8;
        i += 1;
      }
    }
    String digits = s.substring(i);
    if (digits.isEmpty()) return null;
    if (digits.indexOf('_') >= 0) {
      if (!underscoreOk(s)) return null;
      digits = digits.replace("_", "");
      if (digits.isEmpty()) return null;
    }
    for (int k = 0; k < digits.length(); k++) {
      if (Character.digit(digits.charAt(k), base) < 0 || digits.charAt(k) > 'z') return null;
    }
    BigInteger v = new BigInteger(digits, base);
    return neg ? v.negate() : v;
  }

  /** Go's {@code underscoreOK}: underscores only between digits (or after a base prefix). */
  static boolean underscoreOk(String s) {
    char saw = '^';
    int i = 0;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) s = s.substring(1);
    boolean hex = false;
    if (s.length() >= 2 && s.charAt(0) == '0' && "bBoOxX".indexOf(s.charAt(1)) >= 0) {
      i = 2;
      saw = '0';
      hex = s.charAt(1) == 'x' || s.charAt(1) == 'X';
    }
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9' || hex && Character.digit(c, 16) >= 0) {
        saw = '0';
        continue;
      }
      if (c == '_') {
        if (saw != '0') return false;
        saw = '_';
        continue;
      }
      if (saw == '_') return false;
      saw = '!';
    }
    return saw != '_';
  }

  /** {@code strconv.ParseInt(s, 0, 64)}; null on syntax or range error. */
  static Long parseInt64(String s) {
    BigInteger v = parseInteger(s, true);
    if (v == null || v.compareTo(MIN_INT64) < 0 || v.compareTo(MAX_INT64) > 0) return null;
    return v.longValue();
  }

  /** {@code strconv.ParseInt(s, 10, 64)}; null on syntax or range error. */
  static Long parseDecimal64(String s) {
    if (s.isEmpty() || s.indexOf('_') >= 0) return null;
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** {@code strconv.ParseFloat(s, 64)}; null on syntax or range error. */
  static Double parseFloat(String s) {
    if (SPECIAL.matcher(s).matches()) {
      String l = s.toLowerCase();
      if (l.contains("nan")) return Double.NaN;
      return l.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    boolean hex = HEX_FLOAT.matcher(s).matches();
    if (!hex && !DECIMAL_FLOAT.matcher(s).matches()) return null;
    String clean = s.replace("_", "");
    if (!hex && (clean.isEmpty() || !containsDigit(clean))) return null;
    if (s.indexOf('_') >= 0 && !underscoreOk(s)) return null;
    double d;
    try {
      d = Double.parseDouble(clean);
    } catch (NumberFormatException e) {
      return null;
    }
    if (Double.isInfinite(d)) return null;
    return d;
  }

  private static boolean containsDigit(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 'e' || c == 'E') return false;
      if (c >= '0' && c <= '9') return true;
    }
    return false;
  }

  /** Go's float64 to int64 conversion on amd64: NaN and out-of-range give MinInt64. */
  static long floatToInt64(double d) {
    if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) return Long.MIN_VALUE;
    return (long) d;
  }

  /** {@code cast.ToInt64}: numbers convert, strings parse with base prefixes, anything else is 0. */
  static long toInt64(Object v) {
    return switch (v) {
      case Long l -> l;
      case GoValues.Int64 l -> l.value();
      case Double d -> floatToInt64(d);
      case Boolean b -> b ? 1 : 0;
      case String s -> {
        Long p = parseInt64(trimZeroDecimal(s));
        yield p == null ? 0 : p;
      }
      case null, default -> 0;
    };
  }

  /** {@code cast.ToFloat64}: numbers convert, strings parse, anything else is 0. */
  static double toFloat64(Object v) {
    return switch (v) {
      case Long l -> l;
      case GoValues.Int64 l -> l.value();
      case Double d -> d;
      case Boolean b -> b ? 1 : 0;
      case String s -> {
        Double p = parseFloat(s);
        yield p == null ? 0 : p;
      }
      case null, default -> 0;
    };
  }

  /** cast's {@code trimZeroDecimal}: {@code "3.00"} is {@code "3"}, anything else unchanged. */
  static String trimZeroDecimal(String s) {
    boolean foundZero = false;
    for (int i = s.length(); i > 0; i--) {
      char c = s.charAt(i - 1);
      if (c == '.') {
        if (foundZero) return s.substring(0, i - 1);
      } else if (c == '0') {
        foundZero = true;
      } else {
        return s;
      }
    }
    return s;
  }
}
