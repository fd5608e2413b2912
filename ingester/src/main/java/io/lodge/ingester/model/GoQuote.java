package io.lodge.ingester.model;

/**
 * Go's {@code strconv.Quote}: the quoting Loki uses for label values in canonical label strings and
 * error messages, so that Lodge prints streams exactly as Loki does.
 */
public final class GoQuote {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private GoQuote() {}

  /** Returns {@code s} in double quotes with Go escapes. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    appendQuoted(sb, s);
    return sb.toString();
  }

  /** Appends {@code s} in double quotes with Go escapes to {@code sb}. */
  public static void appendQuoted(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = Character.charCount(cp);
      switch (cp) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case 0x07 -> sb.append("\\a");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case 0x0B -> sb.append("\\v");
        default -> {
          if (n == 1 && Character.isSurrogate(s.charAt(i))) { // a lone surrogate is invalid UTF-8 to Go
            sb.append("\\ufffd");
          } else if (cp < 0x20 || cp == 0x7F) {
            sb.append("\\x").append(HEX[cp >> 4]).append(HEX[cp & 0xF]);
          } else if (cp < 0x80 || isPrint(cp)) {
            sb.appendCodePoint(cp);
          } else if (cp < 0x10000) {
            sb.append("\\u");
            for (int shift = 12; shift >= 0; shift -= 4) sb.append(HEX[(cp >> shift) & 0xF]);
          } else {
            sb.append("\\U");
            for (int shift = 28; shift >= 0; shift -= 4) sb.append(HEX[(cp >> shift) & 0xF]);
          }
        }
      }
      i += n;
    }
    sb.append('"');
  }

  private static boolean isPrint(int cp) {
    if (Character.isSurrogate((char) cp) && cp < 0x10000) return false;
    int type = Character.getType(cp);
    return switch (type) {
      case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE,
          Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
      case Character.SPACE_SEPARATOR -> cp == ' ';
      default -> true;
    };
  }
}
