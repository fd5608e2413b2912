package io.lodge.querier.pipeline.parser;

import java.nio.charset.StandardCharsets;

/** Go's {@code strconv.Unquote} for double-quoted strings and {@code %q} of a byte, as logfmt needs them. */
final class GoUnquote {
  private GoUnquote() {}

  /** Unquotes {@code d[from, to)} including both quotes; null when an escape is invalid. */
  static String unquote(byte[] d, int from, int to) {
    StringBuilder sb = new StringBuilder(to - from);
    int i = from + 1;
    int end = to - 1;
    int run = i;
    while (i < end) {
      byte c = d[i];
      if (c == '\n') return null;
      if (c == '"') return null;
      if (c != '\\') {
        i++;
        continue;
      }
      sb.append(new String(d, run, i - run, StandardCharsets.UTF_8));
      if (i + 1 >= end) return null;
      byte e = d[i + 1];
      i += 2;
      switch (e) {
        case 'a' -> sb.append('\u0007');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'v' -> sb.append('\u000b');
        case '\\' -> sb.append('\\');
        case '"' -> sb.append('"');
        case 'x', 'u', 'U' -> {
          int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          if (i + len > end) return null;
          int v = 0;
          for (int k = 0; k < len; k++) {
            int h = Character.digit(d[i + k], 16);
            if (h < 0) return null;
            v = (v << 4) | h;
          }
          i += len;
          if (e == 'x') {
            sb.append((char) v);
          } else {
            if (v > Character.MAX_CODE_POINT || (v >= 0xD800 && v <= 0xDFFF)) return null;
            sb.appendCodePoint(v);
          }
        }
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          if (i + 2 > end) return null;
          int v = e - '0';
          for (int k = 0; k < 2; k++) {
            int o = d[i + k] - '0';
            if (o < 0 || o > 7) return null;
            v = v * 8 + o;
          }
          if (v > 255) return null;
          i += 2;
          sb.append((char) v);
        }
        default -> {
          return null;
        }
      }
      run = i;
    }
    sb.append(new String(d, run, end - run, StandardCharsets.UTF_8));
    return sb.toString();
  }

  /** Go's {@code %q} of a byte value: {@code '='}, {@code '"'}, {@code '\''}, {@code '\x00'}. */
  static String quoteRune(int c) {
    return switch (c) {
      case '\'' -> "'\\''";
      case '\\' -> "'\\\\'";
      case '\n' -> "'\\n'";
      case '\t' -> "'\\t'";
      case '\r' -> "'\\r'";
      default -> c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : String.format("'\\x%02x'", c);
    };
  }
}
