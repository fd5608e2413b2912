package io.lodge.config;

import java.math.BigInteger;
import java.util.Locale;

/**
 * Byte sizes as Loki's configuration writes them ({@code flagext.ByteSize}): a plain integer is bytes,
 * a number with a unit is a multiple of a power of 1024 ({@code 256KB} = 262144, {@code 1.5MB} = 1572864).
 * In Loki's config {@code KB}/{@code MB} are binary units (LOKI-COMPAT §5 item 17), unlike LogQL bytes
 * literals; {@code KiB}/{@code MiB} spellings are accepted too and mean the same.
 */
public final class ByteSizes {
  private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};

  private ByteSizes() {}

  /**
   * Parses {@code 1024}, {@code 256KB}, {@code 3mb}, {@code 1.5MB}, {@code 64MiB}, {@code 2G}.
   *
   * @throws IllegalArgumentException naming the text when it is not a size (callers add the key)
   */
  public static long parse(String text) {
    String s = text.trim();
    int i = 0;
    while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
    String number = s.substring(0, i);
    String unit = s.substring(i).trim().toUpperCase(Locale.ROOT);
    if (number.isEmpty() || number.startsWith(".") || number.endsWith(".") || number.indexOf('.') != number.lastIndexOf('.')) {
      throw new IllegalArgumentException("expected a size like 1024, 256KB or 3MB, got '" + text + "'");
    }
    int exponent = unitExponent(unit);
    if (exponent < 0) {
      throw new IllegalArgumentException("unknown size unit '" + s.substring(i).trim() + "' in '" + text
          + "' (expected B, KB, MB, GB, TB, PB or EB)");
    }
    DecimalText value = DecimalText.of(number);
    BigInteger[] wholeAndRest = value.unscaled().shiftLeft(10 * exponent).divideAndRemainder(DecimalText.pow10(value.scale()));
    if (wholeAndRest[1].signum() != 0) throw new IllegalArgumentException("size '" + text + "' is not a whole number of bytes");
    if (wholeAndRest[0].bitLength() > 63) throw new IllegalArgumentException("size '" + text + "' does not fit in 63 bits");
    return wholeAndRest[0].longValue();
  }

  /** Renders bytes in the largest unit that divides them exactly, as Loki prints sizes: {@code 256KB}, {@code 0B}. */
  public static String format(long bytes) {
    if (bytes < 0) throw new IllegalArgumentException("negative size " + bytes);
    int exponent = 0;
    long v = bytes;
    while (v != 0 && exponent < UNITS.length - 1 && (v & 1023) == 0) {
      v >>= 10;
      exponent++;
    }
    return v + UNITS[exponent];
  }

  private static int unitExponent(String unit) {
    return switch (unit) {
      case "", "B" -> 0;
      case "K", "KB", "KIB" -> 1;
      case "M", "MB", "MIB" -> 2;
      case "G", "GB", "GIB" -> 3;
      case "T", "TB", "TIB" -> 4;
      case "P", "PB", "PIB" -> 5;
      case "E", "EB", "EIB" -> 6;
      default -> -1;
    };
  }
}
