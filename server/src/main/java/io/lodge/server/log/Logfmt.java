package io.lodge.server.log;

/**
 * logfmt text the way Go's go-logfmt (and so Loki's logs) writes it: {@code key=value} pairs separated
 * by spaces; a value is quoted when it holds a space, {@code =}, {@code "}, a control character or is
 * the word {@code null} (a Java null is written bare); inside quotes {@code \ " \n \r \t} and other control characters are escaped,
 * so every event stays on one line. Keys lose the characters a key cannot hold.
 */
public final class Logfmt {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Logfmt() {}

  /** Appends {@code " key=value"} (a leading space unless {@code sb} is empty). */
  public static void appendPair(StringBuilder sb, String key, Object value) {
    if (!sb.isEmpty()) sb.append(' ');
    appendKey(sb, key);
    sb.append('=');
    if (value == null) sb.append("null"); // a real null; the string "null" gets quotes
    else appendValue(sb, String.valueOf(value));
  }

  /** Appends a key, dropping spaces, {@code =}, {@code "} and control characters; empty becomes {@code _}. */
  public static void appendKey(StringBuilder sb, String key) {
    int before = sb.length();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c > ' ' && c != '=' && c != '"' && c != 0x7f) sb.append(c);
    }
    if (sb.length() == before) sb.append('_');
  }

  /** Appends a value, quoted only when needed. */
  public static void appendValue(StringBuilder sb, String value) {
    if (!needsQuotes(value)) {
      sb.append(value);
      return;
    }
    sb.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < ' ' || c == 0x7f) {
            sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  static boolean needsQuotes(String value) {
    if (value.equals("null")) return true;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c == '=' || c == '"' || c == 0x7f || c == '\ufffd') return true;
    }
    return false;
  }
}
