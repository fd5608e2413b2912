package io.lodge.ingester.validate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds the value of the highest-priority level key in a log line without building a parse tree
 * (LOKI-COMPAT 1.6 item 2): top-level keys of a JSON object (exact match, first occurrence, the value
 * as raw bytes: a string without its quotes, escapes kept, anything else as its token), or logfmt
 * pairs scanned as Loki's logfmt decoder does (key match ASCII case-insensitive, stops at the first
 * syntax error). Results are (offset, length) views of the line, or absent. Not thread-safe: one
 * scanner per caller (it keeps the last match in fields to avoid allocating).
 */
final class LevelFieldScanner {
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH = 0x8080808080808080L;
  private static final long EQUALS = ONES * '=';
  private static final long QUOTES = ONES * '"';
  private static final long BACKSLASHES = ONES * '\\';

  private final byte[][] keys;
  /** Indexed by a byte, lower-cased: whether some key ends with it (the cheap pre-check before a '='). */
  private final boolean[] keyLast = new boolean[256];
  /** An empty key ends before every '='. */
  private final boolean emptyKey;
  /**
   * Bit {@code n} set when some key is {@code n} bytes long (keys over 63 bytes set bit 63 and are
   * compared the slow way): most words of a line have a length no key has, and skip the comparison.
   */
  private final long keyLengths;
  /** Index into {@code keys} of the best match so far; {@code keys.length} when none. */
  private int best;
  private int valueStart;
  private int valueLength;
  private byte[] unescaped;

  LevelFieldScanner(byte[][] keys) {
    this.keys = keys;
    long lengths = 0;
    for (byte[] k : keys) lengths |= 1L << Math.min(k.length, 63);
    this.keyLengths = lengths;
    boolean empty = false;
    for (byte[] k : keys) {
      if (k.length == 0) empty = true;
      else keyLast[lower(k[k.length - 1]) & 0xFF] = true;
    }
    this.emptyKey = empty;
  }

  /** True when a key was found by the last scan (its value may still be empty or absent). */
  boolean found() {
    return best < keys.length;
  }

  /** The buffer holding the last found value: the line, or a private copy when logfmt unescaped it. */
  byte[] valueBuffer(byte[] line) {
    return unescaped != null ? unescaped : line;
  }

  int valueStart() {
    return valueStart;
  }

  /** Length of the last found value; -1 when the key had no value. */
  int valueLength() {
    return valueLength;
  }

  private void reset() {
    best = keys.length;
    valueStart = 0;
    valueLength = -1;
    unescaped = null;
  }

  // ---------------------------------------------------------------- JSON

  /** Scans the top level of the JSON object that starts at the first '{' of {@code line}. */
  void scanJson(byte[] line) {
    reset();
    int n = line.length;
    int p = skipWs(line, 0);
    if (p >= n || line[p] != '{') return;
    p++;
    while (true) {
      p = skipWs(line, p);
      if (p >= n) return;
      if (line[p] == '}') return;
      if (line[p] == ',') { // tolerate stray separators like jsonparser does
        p++;
        continue;
      }
      if (line[p] != '"') return;
      int keyStart = p + 1;
      int keyEnd = endOfString(line, keyStart);
      if (keyEnd < 0) return;
      p = skipWs(line, keyEnd + 1);
      if (p >= n || line[p] != ':') return;
      p = skipWs(line, p + 1);
      if (p >= n) return;
      int vStart;
      int vEnd;
      if (line[p] == '"') {
        vStart = p + 1;
        vEnd = endOfString(line, vStart);
        if (vEnd < 0) return;
        p = vEnd + 1;
      } else {
        vStart = p;
        p = skipValue(line, p);
        if (p < 0) return;
        vEnd = p;
      }
      int k = match(line, keyStart, keyEnd, false);
      if (k < best) {
        best = k;
        valueStart = vStart;
        valueLength = vEnd - vStart;
        if (k == 0) return;
      }
    }
  }

  private static int skipWs(byte[] b, int p) {
    while (p < b.length && (b[p] == ' ' || b[p] == '\t' || b[p] == '\n' || b[p] == '\r')) p++;
    return p;
  }

  /**
   * Index of the closing quote of a string whose content starts at {@code p}, or -1. String values are
   * most of a JSON line (the message), so the quotes and backslashes are looked for eight bytes at a
   * time; only those bytes are looked at one by one.
   */
  private static int endOfString(byte[] b, int p) {
    int n = b.length;
    while (p < n) {
      p = nextQuoteOrBackslash(b, p);
      if (p >= n) return -1;
      if (b[p] == '"') return p;
      p += 2; // a backslash escapes the next byte, whatever it is
    }
    return -1;
  }

  /** Index of the first '"' or '\\' at or after {@code p}, or {@code b.length}. */
  private static int nextQuoteOrBackslash(byte[] b, int p) {
    int n = b.length;
    for (; p + 8 <= n; p += 8) {
      long v = (long) LONG.get(b, p);
      long q = v ^ QUOTES;
      long s = v ^ BACKSLASHES;
      // the lowest flag of the zero-byte test is exact (a borrow only flags bytes above a real match)
      long m = ((q - ONES) & ~q | (s - ONES) & ~s) & HIGH;
      if (m != 0) return p + (Long.numberOfTrailingZeros(m) >>> 3);
    }
    while (p < n && b[p] != '"' && b[p] != '\\') p++;
    return p;
  }

  /** End (exclusive) of a non-string value starting at {@code p}; nested objects/arrays are skipped whole. */
  private static int skipValue(byte[] b, int p) {
    int n = b.length;
    byte c = b[p];
    if (c == '{' || c == '[') {
      int depth = 0;
      while (p < n) {
        c = b[p];
        if (c == '"') {
          int e = endOfString(b, p + 1);
          if (e < 0) return -1;
          p = e + 1;
          continue;
        }
        if (c == '{' || c == '[') depth++;
        else if (c == '}' || c == ']') {
          depth--;
          if (depth == 0) return p + 1;
        }
        p++;
      }
      return -1;
    }
    while (p < n && b[p] != ',' && b[p] != '}' && b[p] != ' ' && b[p] != '\t' && b[p] != '\n' && b[p] != '\r') p++;
    return p;
  }

  // ---------------------------------------------------------------- logfmt

  /**
   * False when {@link #scanLogfmt} cannot find a key with a value: no '=' in the line directly follows
   * the bytes of a key (ASCII case-insensitive). Every pair the scan accepts has its key right before
   * its '=', so this is a superset test; the scan's answer is only ever used when a key has a value,
   * so a line that fails it needs no scan. The '=' are found eight bytes at a time, and most are
   * rejected by the byte before them ({@code keyLast}) without comparing keys.
   */
  boolean mayHaveKeyWithValue(byte[] line) {
    return mayHaveKeyWithValue(line, 0);
  }

  /** {@link #mayHaveKeyWithValue(byte[])} when the line is known to have no '=' before {@code from}. */
  boolean mayHaveKeyWithValue(byte[] line, int from) {
    int n = line.length;
    int i = from;
    for (; i + 8 <= n; i += 8) {
      long v = (long) LONG.get(line, i) ^ EQUALS;
      // zero bytes of v are '='; a byte above a zero byte may be flagged too (borrow): checked below
      long m = (v - ONES) & ~v & HIGH;
      while (m != 0) {
        int e = i + (Long.numberOfTrailingZeros(m) >>> 3);
        m &= m - 1;
        if (line[e] == '=' && keyEndsAt(line, e)) return true;
      }
    }
    for (; i < n; i++) {
      if (line[i] == '=' && keyEndsAt(line, i)) return true;
    }
    return false;
  }

  /** Whether some key, ASCII case-insensitively, occupies the bytes right before {@code end}. */
  private boolean keyEndsAt(byte[] line, int end) {
    if (emptyKey) return true;
    if (end == 0 || !keyLast[lower(line[end - 1]) & 0xFF]) return false;
    for (byte[] key : keys) {
      int s = end - key.length;
      if (s < 0) continue;
      boolean eq = true;
      for (int i = 0; i < key.length && eq; i++) eq = lower(line[s + i]) == lower(key[i]);
      if (eq) return true;
    }
    return false;
  }

  /** Scans the whole line as logfmt pairs; the key earliest in the list wins. */
  void scanLogfmt(byte[] line) {
    reset();
    int n = line.length;
    int p = 0;
    while (p < n) {
      // garbage before a key
      while (p < n && (line[p] & 0xFF) <= ' ') p++;
      if (p >= n) return;
      int keyStart = p;
      int keyEnd = -1;
      while (p < n) {
        int c = line[p] & 0xFF;
        if (c == '=') {
          if (p == keyStart) return; // '=' without a key: the decoder stops
          keyEnd = p;
          break;
        }
        if (c == '"') return;
        if (c <= ' ') break;
        p++;
      }
      if (keyEnd < 0) { // a bare key: no value
        consider(line, keyStart, p, -1, -1, null);
        continue;
      }
      p++; // past '='
      if (p >= n || (line[p] & 0xFF) <= ' ') {
        consider(line, keyStart, keyEnd, -1, -1, null);
        if (best == 0) return;
        continue;
      }
      if (line[p] == '"') {
        int q = p + 1;
        boolean hasEsc = false;
        boolean esc = false;
        int close = -1;
        for (; q < n; q++) {
          byte c = line[q];
          if (esc) esc = false;
          else if (c == '\\') hasEsc = esc = true;
          else if (c == '"') {
            close = q;
            break;
          }
        }
        if (close < 0) return; // unterminated quoted value
        byte[] copy = hasEsc ? unescape(line, p + 1, close) : null;
        if (copy != null) consider(line, keyStart, keyEnd, 0, copy.length, copy);
        else consider(line, keyStart, keyEnd, p + 1, close - p - 1, null);
        p = close + 1;
      } else {
        int vStart = p;
        while (p < n) {
          int c = line[p] & 0xFF;
          if (c == '=' || c == '"') return; // the decoder errors and stops
          if (c <= ' ') break;
          p++;
        }
        consider(line, keyStart, keyEnd, vStart, p - vStart, null);
      }
      if (best == 0) return;
    }
  }

  private void consider(byte[] line, int keyStart, int keyEnd, int vStart, int vLen, byte[] copy) {
    int k = match(line, keyStart, keyEnd, true);
    if (k < best) {
      best = k;
      valueStart = vStart < 0 ? 0 : vStart;
      valueLength = vLen;
      unescaped = copy;
    }
  }

  private static byte[] unescape(byte[] b, int from, int to) {
    byte[] out = new byte[to - from];
    int o = 0;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c == '\\' && i + 1 < to) {
        byte e = b[++i];
        out[o++] = switch (e) {
          case 'n' -> '\n';
          case 't' -> '\t';
          case 'r' -> '\r';
          default -> e;
        };
      } else {
        out[o++] = c;
      }
    }
    return java.util.Arrays.copyOf(out, o);
  }

  /** Index of the first key equal to {@code line[from, to)}, or {@code keys.length}. */
  private int match(byte[] line, int from, int to, boolean ignoreCase) {
    int len = to - from;
    if ((keyLengths & (1L << Math.min(len, 63))) == 0) return keys.length;
    for (int k = 0; k < best; k++) {
      byte[] key = keys[k];
      if (key.length != len) continue;
      boolean eq = true;
      for (int i = 0; i < len; i++) {
        byte a = line[from + i];
        byte b = key[i];
        if (a != b && !(ignoreCase && lower(a) == lower(b))) {
          eq = false;
          break;
        }
      }
      if (eq) return k;
    }
    return keys.length;
  }

  static byte lower(byte c) {
    return c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
  }
}
