package io.lodge.querier.api;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The type Loki reports for a detected field (LOKI-COMPAT 2.10), decided by trying, in order, Go's
 * {@code strconv.ParseInt}, {@code ParseFloat}, {@code ParseBool}, {@code time.ParseDuration} and
 * humanize's {@code ParseBytes}; anything else is a string.
 */
public enum FieldType {
  INT, FLOAT, BOOLEAN, DURATION, BYTES, STRING;

  private static final Pattern INT_RE = Pattern.compile("[+-]?[0-9]+");
  private static final Pattern FLOAT_RE = Pattern.compile(
      "[+-]?(?:(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|(?i:inf|infinity|nan))");
  private static final Set<String> BOOLS =
      Set.of("1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False");
  private static final Pattern DURATION_RE =
      Pattern.compile("[+-]?(?:(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+");
  private static final Pattern BYTES_RE = Pattern.compile("([0-9][0-9,]*(?:\\.[0-9]*)?|\\.[0-9]+) ?([a-zA-Z]*)");
  private static final Set<String> BYTE_UNITS = Set.of("", "b", "k", "kb", "ki", "kib", "m", "mb", "mi", "mib",
      "g", "gb", "gi", "gib", "t", "tb", "ti", "tib", "p", "pb", "pi", "pib", "e", "eb", "ei", "eib", "z", "zb",
      "zi", "zib", "y", "yb", "yi", "yib");
  private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

  /** The name in the JSON answer. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type of one value. */
  public static FieldType of(String v) {
    if (INT_RE.matcher(v).matches()) {
      BigInteger b = new BigInteger(v.startsWith("+") ? v.substring(1) : v);
      if (b.compareTo(MIN) >= 0 && b.compareTo(MAX) <= 0) return INT;
    }
    if (FLOAT_RE.matcher(v).matches()) return FLOAT;
    if (BOOLS.contains(v)) return BOOLEAN;
    if (v.equals("0") || DURATION_RE.matcher(v).matches()) return DURATION;
    var m = BYTES_RE.matcher(v.strip());
    if (m.matches() && BYTE_UNITS.contains(m.group(2).toLowerCase(Locale.ROOT))) return BYTES;
    return STRING;
  }
}
