package io.lodge.querier.pipeline.parser;

import java.nio.charset.StandardCharsets;

/**
 * Scans {@code key=value} pairs of one logfmt line the way the go-logfmt decoder Loki uses does: keys
 * run to {@code =} or a blank, values to a blank, quoted values unescape Go-style. A malformed pair
 * stops with an error {@code logfmt syntax error at pos N : msg} (N 1-based) and the scan position on
 * the offending byte. Not thread-safe: one per stage invocation.
 */
final class LogfmtDecoder {
  private byte[] line;
  private int pos;
  private int keyStart;
  private int keyEnd;
  private String value;
  private String error;

  void reset(byte[] line) {
    this.line = line;
    this.pos = 0;
    this.error = null;
  }

  boolean atEnd() {
    return pos >= line.length;
  }

  String error() {
    return error;
  }

  /** The key of the last pair (null for none). */
  String key() {
    return keyEnd > keyStart ? new String(line, keyStart, keyEnd - keyStart, StandardCharsets.UTF_8) : null;
  }

  /** Whether the last pair had a non-empty value (checked before building any string). */
  boolean hasValue() {
    return value != null;
  }

  /** The value of the last pair; null when it had none ({@code k} or {@code k=}). */
  String value() {
    return value;
  }

  /** After a failed scan: moves past the offending byte so a lenient caller can go on. */
  void skipByte() {
    if (pos < line.length) pos++;
  }

  /** Scans the next pair; false on a syntax error (or when only blanks remained, with no error). */
  boolean next() {
    keyStart = keyEnd = 0;
    value = null;
    int n = line.length;
    while (pos < n && (line[pos] & 0xff) <= ' ') pos++;
    if (pos >= n) return false;
    int start = pos;
    while (pos < n) {
      int c = line[pos] & 0xff;
      if (c == '=') {
        if (pos == start) return unexpected(c);
        keyStart = start;
        keyEnd = pos;
        if (invalidKey()) return syntax("invalid key");
        return afterEquals();
      }
      if (c == '"') return unexpected(c);
      if (c <= ' ') {
        keyStart = start;
        keyEnd = pos;
        return !invalidKey() || syntax("invalid key");
      }
      pos++;
    }
    keyStart = start;
    keyEnd = pos;
    return !invalidKey() || syntax("invalid key");
  }

  private boolean afterEquals() {
    pos++;
    int n = line.length;
    if (pos >= n) return true;
    int c = line[pos] & 0xff;
    if (c <= ' ') return true;
    if (c == '"') return quoted();
    int start = pos;
    while (pos < n) {
      c = line[pos] & 0xff;
      if (c == '=' || c == '"') return unexpected(c);
      if (c <= ' ') break;
      pos++;
    }
    if (pos > start) value = new String(line, start, pos - start, StandardCharsets.UTF_8);
    return true;
  }

  private boolean quoted() {
    int start = pos;
    boolean hasEscape = false;
    boolean esc = false;
    for (int i = pos + 1; i < line.length; i++) {
      int c = line[i] & 0xff;
      if (esc) {
        esc = false;
      } else if (c == '\\') {
        hasEscape = esc = true;
      } else if (c == '"') {
        pos = i + 1;
        if (hasEscape) {
          String v = GoUnquote.unquote(line, start, pos);
          if (v == null) return syntax("invalid quoted value");
          value = v;
        } else if (i > start + 1) {
          value = new String(line, start + 1, i - start - 1, StandardCharsets.UTF_8);
        }
        return true;
      }
    }
    pos = line.length;
    return syntax("unterminated quoted value");
  }

  /** A key holding invalid UTF-8 is refused like go-logfmt does. */
  private boolean invalidKey() {
    for (int i = keyStart; i < keyEnd; i++) {
      if (line[i] < 0) return new String(line, keyStart, keyEnd - keyStart, StandardCharsets.UTF_8).indexOf('\uFFFD') >= 0;
    }
    return false;
  }

  private boolean unexpected(int c) {
    return syntax("unexpected " + GoUnquote.quoteRune(c));
  }

  private boolean syntax(String msg) {
    error = "logfmt syntax error at pos " + (pos + 1) + " : " + msg;
    keyStart = keyEnd = 0;
    value = null;
    return false;
  }
}
