package io.lodge.ingester.validate;

/**
 * The oracle for {@link LevelFieldScanner}: the byte-at-a-time JSON and logfmt field scanner it replaced,
 * kept verbatim apart from the class name, so {@link NaiveLevelDetector} checks the word scan and the
 * field scans of {@link LevelDetector} against code that shares nothing with them.
 */
final class NaiveLevelFieldScanner {
  private final byte[][] keys;
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

  NaiveLevelFieldScanner(byte[][] keys) {
    this.keys = keys;
    long lengths = 0;
    for (byte[] k : keys) lengths |= 1L << Math.min(k.length, 63);
    this.keyLengths = lengths;
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

  /** Index of the closing quote of a string whose content starts at {@code p}, or -1. */
  private static int endOfString(byte[] b, int p) {
    while (p < b.length) {
      byte c = b[p];
      if (c == '\\') p += 2;
      else if (c == '"') return p;
      else p++;
    }
    return -1;
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
