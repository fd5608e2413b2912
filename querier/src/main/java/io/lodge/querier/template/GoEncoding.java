package io.lodge.querier.template;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The Go encoders templates expose: {@code url.QueryEscape}/{@code QueryUnescape},
 * {@code template.HTMLEscapeString}, {@code JSEscapeString} and base64 with the standard alphabet
 * (Sprig's {@code b64dec} returns Go's error text instead of failing).
 */
final class GoEncoding {
  private GoEncoding() {}

  private static final String HEX = "0123456789ABCDEF";

  /** {@code url.QueryEscape}: unreserved bytes stay, space becomes '+', the rest %XX. */
  static String queryEscape(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder(bytes.length + 8);
    for (byte x : bytes) {
      int c = x & 0xff;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '-' || c == '_' || c == '.' || c == '~') {
        b.append((char) c);
      } else if (c == ' ') {
        b.append('+');
      } else {
        b.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 15));
      }
    }
    return b.toString();
  }

  /** {@code url.QueryUnescape}; throws with Go's {@code invalid URL escape "%zz"}. */
  static String queryUnescape(String s) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
    for (int i = 0; i < in.length; i++) {
      byte c = in[i];
      if (c == '%') {
        if (i + 2 >= in.length || Character.digit(in[i + 1], 16) < 0 || Character.digit(in[i + 2], 16) < 0) {
          String bad = new String(in, i, Math.min(3, in.length - i), StandardCharsets.UTF_8);
          throw new IllegalArgumentException("invalid URL escape " + GoQuote.quote(bad));
        }
        out.write(Character.digit(in[i + 1], 16) * 16 + Character.digit(in[i + 2], 16));
        i += 2;
      } else if (c == '+') {
        out.write(' ');
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** {@code template.HTMLEscapeString}. */
  static String htmlEscape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("&#34;");
        case '\'' -> b.append("&#39;");
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case 0 -> b.append('\ufffd');
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** {@code template.JSEscapeString}. */
  static String jsEscape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\'' -> b.append("\\'");
        case '"' -> b.append("\\\"");
        case '<' -> b.append("\\u003C");
        case '>' -> b.append("\\u003E");
        case '&' -> b.append("\\u0026");
        case '=' -> b.append("\\u003D");
        default -> {
          if (c < ' ') {
            b.append("\\u00").append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 15));
          } else if (c < 0x80 || GoQuote.isPrint(c)) {
            b.appendCodePoint(c);
          } else {
            b.append(String.format("\\u%04X", c));
          }
        }
      }
    }
    return b.toString();
  }

  /** Sprig {@code b64enc}. */
  static String b64enc(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Sprig {@code b64dec}: the decoded text, or Go's error message when the input is not base64. */
  static String b64dec(String s) {
    byte[] src = s.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(src.length);
    int si = 0;
    int[] q = new int[4];
    while (true) {
      int j = 0;
      int dlen = 4;
      boolean end = false;
      for (; j < 4; j++) {
        if (si == src.length) {
          if (j == 0) return out.toString(StandardCharsets.UTF_8);
          return corrupt(si - j);
        }
        int in = src[si] & 0xff;
        si++;
        int v = decode(in);
        if (v >= 0) {
          q[j] = v;
          continue;
        }
        if (in == '\n' || in == '\r') {
          j--;
          continue;
        }
        if (in != '=') return corrupt(si - 1);
        if (j < 2) return corrupt(si - 1);
        if (j == 2) {
          while (si < src.length && (src[si] == '\n' || src[si] == '\r')) si++;
          if (si == src.length) return corrupt(src.length);
          if (src[si] != '=') return corrupt(si - 1);
          si++;
        }
        while (si < src.length && (src[si] == '\n' || src[si] == '\r')) si++;
        if (si < src.length) return corrupt(si);
        dlen = j;
        end = true;
        break;
      }
      int val = q[0] << 18 | q[1] << 12 | (dlen > 2 ? q[2] : 0) << 6 | (dlen > 3 ? q[3] : 0);
      out.write(val >> 16);
      if (dlen > 2) out.write((val >> 8) & 0xff);
      if (dlen > 3) out.write(val & 0xff);
      if (end) return out.toString(StandardCharsets.UTF_8);
    }
  }

  private static String corrupt(int at) {
    return "illegal base64 data at input byte " + at;
  }

  private static int decode(int c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  }
}
