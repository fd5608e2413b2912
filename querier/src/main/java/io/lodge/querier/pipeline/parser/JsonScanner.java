package io.lodge.querier.pipeline.parser;

import java.nio.charset.StandardCharsets;

/**
 * A lenient, allocation-light JSON scanner over line bytes, with the behaviour and error messages of
 * the {@code buger/jsonparser} library Loki's {@code json} and {@code unpack} stages use: values are
 * located by bracket and quote matching (not fully validated), an object is walked key by key and a
 * failure reports the library's message (it ends up in {@code __error_details__}).
 */
public final class JsonScanner {
  /** The kinds of value a scan can find. */
  public enum Type { STRING, NUMBER, OBJECT, ARRAY, BOOLEAN, NULL }

  static final String MALFORMED_OBJECT = "Value looks like object, but can't find closing '}' symbol";
  static final String MALFORMED_JSON = "Malformed JSON error";
  static final String MALFORMED_ARRAY = "Value is array, but can't find closing ']' symbol";
  static final String MALFORMED_STRING = "Value is string, but can't find closing '\"' symbol";
  static final String MALFORMED_VALUE =
      "Value looks like Number/Boolean/None, but can't find its end: ',' or '}' symbol";
  static final String UNKNOWN_TYPE = "Unknown value type";
  static final String MALFORMED_ESCAPE = "Encountered an invalid escape sequence in a string";

  /** Receives the members of an object; returns an error message to stop, or null to go on. */
  public interface MemberVisitor {
    String member(byte[] data, String key, Type type, int valueStart, int valueEnd);
  }

  /** A located value: for strings, {@code start}/{@code end} exclude the quotes. */
  public record Value(Type type, int start, int end, int next) {}

  private String error;

  /** The error of the last failed {@link #value} call. */
  public String error() {
    return error;
  }

  /** The index of the first non-blank byte at or after {@code i} before {@code to}, or -1. */
  static int nextToken(byte[] d, int i, int to) {
    for (; i < to; i++) {
      byte c = d[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return i;
    }
    return -1;
  }

  /** With {@code i} just after an opening quote: the index after the closing quote, or -1. */
  static int stringEnd(byte[] d, int i, int to) {
    boolean escaped = false;
    for (int k = i; k < to; k++) {
      byte c = d[k];
      if (c == '"') {
        if (!escaped) return k + 1;
        int j = k - 1;
        int backslashes = 0;
        while (j >= i && d[j] == '\\') {
          backslashes++;
          j--;
        }
        if (backslashes % 2 == 0) return k + 1;
      } else if (c == '\\') {
        escaped = true;
      }
    }
    return -1;
  }

  /** With {@code i} at an opening bracket: the index after its matching close, or -1. */
  static int blockEnd(byte[] d, int i, int to, byte open, byte close) {
    int level = 0;
    while (i < to) {
      byte c = d[i];
      if (c == '"') {
        int se = stringEnd(d, i + 1, to);
        if (se < 0) return -1;
        i = se - 1;
      } else if (c == open) {
        level++;
      } else if (c == close) {
        level--;
        if (level == 0) return i + 1;
      }
      i++;
    }
    return -1;
  }

  private static int tokenEnd(byte[] d, int i, int to) {
    for (; i < to; i++) {
      byte c = d[i];
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == ',' || c == '}' || c == ']') return i;
    }
    return to;
  }

  /** Locates the value starting at the first token at or after {@code i}; null with {@link #error()} set on failure. */
  public Value value(byte[] d, int i, int to) {
    int o = nextToken(d, i, to);
    if (o < 0) return fail(MALFORMED_JSON);
    byte c = d[o];
    if (c == '"') {
      int e = stringEnd(d, o + 1, to);
      if (e < 0) return fail(MALFORMED_STRING);
      return new Value(Type.STRING, o + 1, e - 1, e);
    }
    if (c == '[') {
      int e = blockEnd(d, o, to, (byte) '[', (byte) ']');
      if (e < 0) return fail(MALFORMED_ARRAY);
      return new Value(Type.ARRAY, o, e, e);
    }
    if (c == '{') {
      int e = blockEnd(d, o, to, (byte) '{', (byte) '}');
      if (e < 0) return fail(MALFORMED_OBJECT);
      return new Value(Type.OBJECT, o, e, e);
    }
    int e = tokenEnd(d, o, to);
    Type t = switch (c) {
      case 't', 'f' -> literal(d, o, e, "true") || literal(d, o, e, "false") ? Type.BOOLEAN : null;
      case 'u', 'n' -> literal(d, o, e, "null") ? Type.NULL : null;
      case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '-' -> Type.NUMBER;
      default -> null;
    };
    if (t == null) return fail(UNKNOWN_TYPE);
    return new Value(t, o, e, e);
  }

  private Value fail(String message) {
    error = message;
    return null;
  }

  private static boolean literal(byte[] d, int from, int to, String lit) {
    if (to - from != lit.length()) return false;
    for (int i = 0; i < lit.length(); i++) if (d[from + i] != lit.charAt(i)) return false;
    return true;
  }

  /**
   * Walks the members of the object at the first token of {@code d[from, to)}: null on success (also
   * when the object ends early with {@code }}), else the error message or the visitor's.
   */
  public String objectEach(byte[] d, int from, int to, MemberVisitor visitor) {
    int o = nextToken(d, from, to);
    if (o < 0 || d[o] != '{') return MALFORMED_OBJECT;
    o++;
    o = nextToken(d, o, to);
    if (o < 0) return MALFORMED_JSON;
    if (d[o] == '}') return null;
    while (o < to) {
      if (d[o] == '}') return null;
      if (d[o] != '"') return MALFORMED_OBJECT;
      o++;
      int ke = stringEnd(d, o, to);
      if (ke < 0) return MALFORMED_JSON;
      String key = unescape(d, o, ke - 1);
      if (key == null) return MALFORMED_ESCAPE;
      o = nextToken(d, ke, to);
      if (o < 0 || d[o] != ':') return MALFORMED_JSON;
      o++;
      Value v = value(d, o, to);
      if (v == null) return error;
      String err = visitor.member(d, key, v.type(), v.start(), v.end());
      if (err != null) return err;
      o = nextToken(d, v.next(), to);
      if (o < 0) return MALFORMED_ARRAY;
      if (d[o] == '}') return null;
      if (d[o] != ',') return MALFORMED_OBJECT;
      o = nextToken(d, o + 1, to);
      if (o < 0) return MALFORMED_ARRAY;
    }
    return MALFORMED_OBJECT;
  }

  /**
   * Decodes a JSON string body ({@code d[from, to)} without quotes); null when an escape is invalid.
   * Invalid UTF-8 and lone surrogates are dropped, as Loki removes U+FFFD from extracted values.
   */
  public static String unescape(byte[] d, int from, int to) {
    boolean plain = true;
    for (int i = from; i < to; i++) {
      if (d[i] == '\\' || d[i] < 0) {
        plain = false;
        break;
      }
    }
    if (plain) return new String(d, from, to - from, StandardCharsets.ISO_8859_1);
    StringBuilder sb = new StringBuilder(to - from);
    int runStart = from;
    int i = from;
    while (i < to) {
      if (d[i] != '\\') {
        i++;
        continue;
      }
      appendUtf8(sb, d, runStart, i);
      if (i + 1 >= to) return null;
      byte e = d[i + 1];
      switch (e) {
        case '"' -> sb.append('"');
        case '\\' -> sb.append('\\');
        case '/' -> sb.append('/');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          int cu = hex4(d, i + 2, to);
          if (cu < 0) return null;
          i += 6;
          if (Character.isHighSurrogate((char) cu)) {
            int lo = i + 1 < to && d[i] == '\\' && d[i + 1] == 'u' ? hex4(d, i + 2, to) : -1;
            if (lo >= 0 && Character.isLowSurrogate((char) lo)) {
              sb.append((char) cu).append((char) lo);
              i += 6;
            }
          } else if (!Character.isLowSurrogate((char) cu)) {
            sb.append((char) cu);
          }
          runStart = i;
          continue;
        }
        default -> {
          return null;
        }
      }
      i += 2;
      runStart = i;
    }
    appendUtf8(sb, d, runStart, to);
    return sb.toString();
  }

  private static void appendUtf8(StringBuilder sb, byte[] d, int from, int to) {
    if (from >= to) return;
    String s = new String(d, from, to - from, StandardCharsets.UTF_8);
    if (s.indexOf('\uFFFD') < 0) {
      sb.append(s);
      return;
    }
    for (int k = 0; k < s.length(); k++) if (s.charAt(k) != '\uFFFD') sb.append(s.charAt(k));
  }

  private static int hex4(byte[] d, int i, int to) {
    if (i + 4 > to) return -1;
    int v = 0;
    for (int k = 0; k < 4; k++) {
      int h = Character.digit(d[i + k], 16);
      if (h < 0) return -1;
      v = (v << 4) | h;
    }
    return v;
  }

  /** The text of a leaf value as Loki renders it: strings unescaped, numbers and booleans verbatim. */
  public static String leafText(byte[] d, Type type, int start, int end) {
    if (type == Type.STRING) {
      String s = unescape(d, start, end);
      return s == null ? "" : s;
    }
    return new String(d, start, end - start, StandardCharsets.UTF_8);
  }
}
