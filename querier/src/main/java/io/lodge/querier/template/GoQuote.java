package io.lodge.querier.template;

/** Go's {@code strconv.Quote}/{@code Unquote} and {@code %#U}, as templates print and read them. */
final class GoQuote {
  private GoQuote() {}

  /** {@code strconv.Quote}: double-quoted with Go escapes; printable Unicode stays as is. */
  static String quote(String s) {
    return quote(s, '"', false);
  }

  /** Quotes with {@code q} as delimiter; {@code asciiOnly} escapes every non-ASCII rune ({@code %+q}). */
  static String quote(String s, char q, boolean asciiOnly) {
    StringBuilder b = new StringBuilder(s.length() + 2).append(q);
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      appendEscaped(b, c, q, asciiOnly);
    }
    return b.append(q).toString();
  }

  static void appendEscaped(StringBuilder b, int c, char q, boolean asciiOnly) {
    if (c == q || c == '\\') {
      b.append('\\').appendCodePoint(c);
      return;
    }
    if (asciiOnly ? (c < 0x7f && c >= 0x20) : isPrint(c)) {
      b.appendCodePoint(c);
      return;
    }
    switch (c) {
      case 7 -> b.append("\\a");
      case '\b' -> b.append("\\b");
      case '\f' -> b.append("\\f");
      case '\n' -> b.append("\\n");
      case '\r' -> b.append("\\r");
      case '\t' -> b.append("\\t");
      case 11 -> b.append("\\v");
      default -> {
        if (c < ' ' || c == 0x7f) {
          b.append("\\x").append(hex(c, 2));
        } else if (Character.isSurrogate((char) c) || c > 0x10ffff) {
          b.append("\\ufffd");
        } else if (c < 0x10000) {
          b.append("\\u").append(hex(c, 4));
        } else {
          b.append("\\U").append(hex(c, 8));
        }
      }
    }
  }

  private static String hex(int c, int width) {
    String h = Integer.toHexString(c);
    return "0".repeat(Math.max(0, width - h.length())) + h;
  }

  /** Approximates Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols, ASCII space. */
  static boolean isPrint(int c) {
    if (c == ' ') return true;
    if (c < 0x20 || c == 0x7f) return false;
    return switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
          Character.UNASSIGNED, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR -> false;
      default -> true;
    };
  }

  /** {@code %#U}: {@code U+007D '}'}. */
  static String unicodeName(int c) {
    StringBuilder b = new StringBuilder("U+");
    String h = Integer.toHexString(c).toUpperCase();
    b.append("0".repeat(Math.max(0, 4 - h.length()))).append(h);
    if (isPrint(c)) b.append(" '").appendCodePoint(c).append('\'');
    return b.toString();
  }

  /** {@code strconv.Unquote} for "…", `…` and '…' literals; throws with Go's "invalid syntax". */
  static String unquote(String lit) {
    int n = lit.length();
    if (n < 2) throw new IllegalArgumentException("invalid syntax");
    char q = lit.charAt(0);
    if (q != lit.charAt(n - 1)) throw new IllegalArgumentException("invalid syntax");
    String body = lit.substring(1, n - 1);
    if (q == '`') {
      if (body.indexOf('`') >= 0) throw new IllegalArgumentException("invalid syntax");
      return body.replace("\r", "");
    }
    if (q != '"' && q != '\'') throw new IllegalArgumentException("invalid syntax");
    StringBuilder b = new StringBuilder(body.length());
    int runes = 0;
    for (int i = 0; i < body.length(); ) {
      char c = body.charAt(i);
      if (c == q || c == '\n') throw new IllegalArgumentException("invalid syntax");
      runes++;
      if (c != '\\') {
        int cp = body.codePointAt(i);
        b.appendCodePoint(cp);
        i += Character.charCount(cp);
        continue;
      }
      if (i + 1 >= body.length()) throw new IllegalArgumentException("invalid syntax");
      char e = body.charAt(i + 1);
      i += 2;
      switch (e) {
        case 'a' -> b.append((char) 7);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'v' -> b.append((char) 11);
        case '\\' -> b.append('\\');
        case '\'', '"' -> {
          if (e != q) throw new IllegalArgumentException("invalid syntax");
          b.append(e);
        }
        case 'x', 'u', 'U' -> {
          int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          if (i + len > body.length()) throw new IllegalArgumentException("invalid syntax");
          int v;
          try {
            v = Integer.parseUnsignedInt(body.substring(i, i + len), 16);
          } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("invalid syntax");
          }
          i += len;
          if (e == 'x') {
            // A \x escape is one byte; bytes >= 0x80 are not valid UTF-8 on their own.
            b.append(v < 0x80 ? (char) v : '\ufffd');
          } else {
            if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) {
              throw new IllegalArgumentException("invalid syntax");
            }
            b.appendCodePoint(v);
          }
        }
        default -> {
          if (e >= '0' && e <= '7') {
            if (i + 2 > body.length()) throw new IllegalArgumentException("invalid syntax");
            int v = 0;
            for (int k = i - 1; k < i + 2; k++) {
              char d = body.charAt(k);
              if (d < '0' || d > '7') throw new IllegalArgumentException("invalid syntax");
              v = v * 8 + (d - '0');
            }
            if (v > 255) throw new IllegalArgumentException("invalid syntax");
            i += 2;
            b.append(v < 0x80 ? (char) v : '\ufffd');
          } else {
            throw new IllegalArgumentException("invalid syntax");
          }
        }
      }
    }
    if (q == '\'' && runes != 1) throw new IllegalArgumentException("invalid syntax");
    return b.toString();
  }
}
