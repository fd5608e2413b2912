package io.lodge.querier.template;

import io.lodge.querier.template.TemplateFunction.Failure;

/**
 * Go's {@code strings} functions with Go's per-rune semantics (Java's locale-aware case mapping
 * and whitespace sets differ), plus go-humanize's {@code ParseBytes} used by Loki's {@code bytes}.
 */
final class GoStrings {
  private GoStrings() {}

  static String toLower(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      int l = Character.toLowerCase(c);
      if (l != c && b == null) b = new StringBuilder(s.length()).append(s, 0, i);
      if (b != null) b.appendCodePoint(l);
      i += Character.charCount(c);
    }
    return b == null ? s : b.toString();
  }

  static String toUpper(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      int u = Character.toUpperCase(c);
      if (u != c && b == null) b = new StringBuilder(s.length()).append(s, 0, i);
      if (b != null) b.appendCodePoint(u);
      i += Character.charCount(c);
    }
    return b == null ? s : b.toString();
  }

  /** Go's {@code unicode.IsSpace}. */
  static boolean isSpace(int c) {
    if (c < 0x80) return c == ' ' || (c >= '\t' && c <= '\r');
    if (c == 0x85 || c == 0xA0) return true;
    return Character.getType(c) == Character.SPACE_SEPARATOR
        || c == 0x2028 || c == 0x2029;
  }

  /** Deprecated {@code strings.Title}: upper-cases (title-cases) the first letter of each word. */
  static String title(String s) {
    StringBuilder b = new StringBuilder(s.length());
    int prev = ' ';
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      b.appendCodePoint(isSeparator(prev) ? Character.toTitleCase(c) : c);
      prev = c;
      i += Character.charCount(c);
    }
    return b.toString();
  }

  private static boolean isSeparator(int r) {
    if (r <= 0x7f) {
      return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_');
    }
    if (Character.isLetter(r) || Character.isDigit(r)) return false;
    return isSpace(r);
  }

  /** {@code strings.Replace(s, old, new, n)}; n < 0 replaces all. */
  static String replace(String s, String old, String repl, long n) {
    if (n == 0 || old.equals(repl)) return s;
    StringBuilder b = new StringBuilder(s.length());
    int done = 0;
    int i = 0;
    if (old.isEmpty()) {
      // Matches at the start and after each rune.
      while (n < 0 || done < n) {
        b.append(repl);
        done++;
        if (i >= s.length()) return b.toString();
        int c = s.codePointAt(i);
        b.appendCodePoint(c);
        i += Character.charCount(c);
      }
      return b.append(s, i, s.length()).toString();
    }
    while (n < 0 || done < n) {
      int j = s.indexOf(old, i);
      if (j < 0) break;
      b.append(s, i, j).append(repl);
      i = j + old.length();
      done++;
    }
    return b.append(s, i, s.length()).toString();
  }

  /** {@code strings.Trim/TrimLeft/TrimRight}: strips runes contained in {@code cutset}. */
  static String trim(String s, String cutset, boolean left, boolean right) {
    if (s.isEmpty() || cutset.isEmpty()) return s;
    int start = 0;
    int end = s.length();
    if (left) {
      while (start < end) {
        int c = s.codePointAt(start);
        if (cutset.indexOf(c) < 0) break;
        start += Character.charCount(c);
      }
    }
    if (right) {
      while (end > start) {
        int c = s.codePointBefore(end);
        if (cutset.indexOf(c) < 0) break;
        end -= Character.charCount(c);
      }
    }
    return s.substring(start, end);
  }

  /** {@code strings.TrimSpace}. */
  static String trimSpace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.codePointAt(start))) start += Character.charCount(s.codePointAt(start));
    while (end > start && isSpace(s.codePointBefore(end))) end -= Character.charCount(s.codePointBefore(end));
    return s.substring(start, end);
  }

  /** go-humanize {@code ParseBytes}: "3 kB" is 3000, "3MiB" is 3145728; as a float64. */
  static double parseBytes(String s) {
    int last = 0;
    boolean comma = false;
    while (last < s.length()) {
      char c = s.charAt(last);
      if (!(Character.isDigit(c) || c == '.' || c == ',')) break;
      if (c == ',') comma = true;
      last++;
    }
    String num = s.substring(0, last);
    if (comma) num = num.replace(",", "");
    Double f = GoNumbers.parseFloat(num);
    if (f == null) {
      throw new Failure("strconv.ParseFloat: parsing " + GoQuote.quote(num) + ": invalid syntax");
    }
    String extra = toLower(trimSpace(s.substring(last)));
    long m = switch (extra) {
      case "", "b" -> 1L;
      case "kib", "ki" -> 1L << 10;
      case "kb", "k" -> 1000L;
      case "mib", "mi" -> 1L << 20;
      case "mb", "m" -> 1000_000L;
      case "gib", "gi" -> 1L << 30;
      case "gb", "g" -> 1000_000_000L;
      case "tib", "ti" -> 1L << 40;
      case "tb", "t" -> 1000_000_000_000L;
      case "pib", "pi" -> 1L << 50;
      case "pb", "p" -> 1000_000_000_000_000L;
      case "eib", "ei" -> 1L << 60;
      case "eb", "e" -> 1000_000_000_000_000_000L;
      default -> throw new Failure("unhandled size name: " + extra);
    };
    double v = f * m;
    if (v >= 0x1p64) throw new Failure("too large: " + s);
    // Go converts through uint64, dropping any fraction of a byte.
    return Math.floor(v);
  }
}
