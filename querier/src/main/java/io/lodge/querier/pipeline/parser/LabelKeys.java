package io.lodge.querier.pipeline.parser;

/**
 * Turns keys found in a line into label names (LOKI-COMPAT 3.5): trimmed, every character outside
 * {@code [A-Za-z0-9_]} replaced by {@code _} (one per code point), and a leading digit of a full name
 * prefixed with {@code _}.
 */
public final class LabelKeys {
  private LabelKeys() {}

  /** Sanitises {@code key}; {@code first} says whether it starts the label name (digit prefix rule). */
  public static String sanitize(String key, boolean first) {
    String k = goTrimSpace(key);
    if (k.isEmpty()) return k;
    StringBuilder sb = null;
    if (first && k.charAt(0) >= '0' && k.charAt(0) <= '9') sb = new StringBuilder(k.length() + 1).append('_');
    for (int i = 0; i < k.length(); ) {
      int cp = k.codePointAt(i);
      boolean ok = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
      if (!ok && sb == null) sb = new StringBuilder(k.length()).append(k, 0, i);
      if (sb != null) sb.append(ok ? (char) cp : '_');
      i += Character.charCount(cp);
    }
    return sb == null ? k : sb.toString();
  }

  /** Go's strings.TrimSpace: Unicode white space at both ends. */
  static String goTrimSpace(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && isSpace(s.charAt(a))) a++;
    while (b > a && isSpace(s.charAt(b - 1))) b--;
    return a == 0 && b == s.length() ? s : s.substring(a, b);
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c == 0x85 || c == 0xa0
        || Character.isSpaceChar(c);
  }

  /** Whether {@code name} is a valid Prometheus label name. */
  public static boolean isValidName(String name) {
    if (name.isEmpty()) return false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
      if (!ok) return false;
    }
    return true;
  }
}
