package io.lodge.ingester.push;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Go's {@code mime.ParseMediaType} as far as Loki's push handler relies on it (LOKI-COMPAT 1.3): returns
 * the lower-cased {@code type/subtype}, ignores parameter values but fails on parameter syntax that Go
 * refuses, with Go's error messages (the client sees them with HTTP 400).
 */
public final class MediaTypes {
  /** Go's {@code mime.ErrInvalidMediaParameter}. */
  static final String INVALID_PARAMETER = "mime: invalid media parameter";

  private MediaTypes() {}

  /**
   * Parses a Content-Type header value (null = absent).
   *
   * @throws PushDecodeException with Go's {@code mime: ...} message
   */
  public static String parse(String header) {
    String v = header == null ? "" : header;
    int semi = v.indexOf(';');
    String base = semi < 0 ? v : v.substring(0, semi);
    String mediaType = trimSpace(base.toLowerCase(Locale.ROOT));
    checkMediaType(mediaType);
    if (semi >= 0) checkParameters(v, semi);
    return mediaType;
  }

  // Go's checkMediaTypeDisposition: a token, optionally "/" and a second token, nothing else.
  private static void checkMediaType(String s) {
    int typeEnd = tokenEnd(s, 0);
    if (typeEnd == 0) throw new PushDecodeException("mime: no media type");
    if (typeEnd == s.length()) return;
    if (s.charAt(typeEnd) != '/') throw new PushDecodeException("mime: expected slash after first token");
    int subEnd = tokenEnd(s, typeEnd + 1);
    if (subEnd == typeEnd + 1) throw new PushDecodeException("mime: expected token after slash");
    if (subEnd != s.length()) throw new PushDecodeException("mime: unexpected content after media subtype");
  }

  // The parameter loop of Go's ParseMediaType: "; key=value" pairs, a trailing ";" is tolerated, a key
  // repeated with a different value is an error. RFC 2231 continuations ("key*0") are grouped by base
  // name exactly as Go does for the duplicate check; their values are never decoded because Loki
  // ignores every parameter.
  private static void checkParameters(String v, int from) {
    Map<String, Map<String, String>> byBase = new HashMap<>();
    int p = from;
    while (p < v.length()) {
      p = skipSpace(v, p);
      if (p == v.length()) break;
      // consumeMediaParam
      int q = p;
      if (v.charAt(q) != ';') throw invalid();
      q = skipSpace(v, q + 1);
      int keyEnd = tokenEnd(v, q);
      if (keyEnd == q) {
        if (trimSpace(v.substring(p)).equals(";")) break; // Go ignores one trailing semicolon
        throw invalid();
      }
      String key = v.substring(q, keyEnd).toLowerCase(Locale.ROOT);
      q = skipSpace(v, keyEnd);
      if (q == v.length() || v.charAt(q) != '=') throw invalid();
      q = skipSpace(v, q + 1);
      StringBuilder value = new StringBuilder();
      int valueEnd = consumeValue(v, q, value);
      if (valueEnd < 0) throw invalid();
      int star = key.indexOf('*');
      String group = star < 0 ? "" : key.substring(0, star);
      Map<String, String> params = byBase.computeIfAbsent(group, k -> new HashMap<>());
      String previous = params.putIfAbsent(key, value.toString());
      if (previous != null && !previous.contentEquals(value)) {
        throw new PushDecodeException("mime: duplicate parameter name");
      }
      p = valueEnd;
    }
  }

  private static PushDecodeException invalid() {
    // Go's exact text: Loki answers with it and clients may match on it.
    return new PushDecodeException(INVALID_PARAMETER);
  }

  /** Reads a token or quoted string at {@code p} into {@code out}; returns the end or -1 when none is there. */
  private static int consumeValue(String v, int p, StringBuilder out) {
    if (p == v.length()) return -1;
    if (v.charAt(p) != '"') {
      int end = tokenEnd(v, p);
      if (end == p) return -1;
      out.append(v, p, end);
      return end;
    }
    for (int i = p + 1; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '"') return i + 1;
      if (c == '\\' && i + 1 < v.length() && isTSpecial(v.charAt(i + 1))) {
        out.append(v.charAt(++i));
        continue;
      }
      if (c == '\r' || c == '\n') return -1;
      out.append(c);
    }
    return -1; // no closing quote
  }

  private static int tokenEnd(String s, int p) {
    while (p < s.length() && isTokenChar(s.charAt(p))) p++;
    return p;
  }

  private static boolean isTokenChar(char c) {
    return c > 0x20 && c < 0x7F && !isTSpecial(c);
  }

  private static boolean isTSpecial(char c) {
    return "()<>@,;:\\\"/[]?=".indexOf(c) >= 0;
  }

  private static int skipSpace(String s, int p) {
    while (p < s.length() && isSpace(s.charAt(p))) p++;
    return p;
  }

  // unicode.IsSpace for the Latin-1 range header values can carry
  private static boolean isSpace(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0 || Character.isSpaceChar(c);
  }

  private static String trimSpace(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && isSpace(s.charAt(a))) a++;
    while (b > a && isSpace(s.charAt(b - 1))) b--;
    return s.substring(a, b);
  }
}
