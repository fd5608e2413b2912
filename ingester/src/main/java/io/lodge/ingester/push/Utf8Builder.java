package io.lodge.ingester.push;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable UTF-8 byte buffer that also takes raw bytes (Go string escapes such as {@code \xff} yield
 * bytes, not characters). Unpaired surrogates are written as U+FFFD, as Go does. Also the exact-size
 * char-to-UTF-8 encoder used for JSON lines.
 */
final class Utf8Builder {
  private byte[] buf;
  private int len;

  Utf8Builder(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  void appendByte(int b) {
    ensure(1);
    buf[len++] = (byte) b;
  }

  void appendChars(CharSequence s, int from, int to) {
    for (int k = from; k < to; ) {
      int cp = Character.codePointAt(s, k);
      appendCodePoint(cp);
      k += Character.charCount(cp);
    }
  }

  void appendCodePoint(int cp) {
    ensure(4);
    len = encode(cp, buf, len);
  }

  @Override
  public String toString() {
    return new String(buf, 0, len, StandardCharsets.UTF_8);
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
  }

  /** UTF-8 of {@code chars[off, off+count)} in an array of exactly the right size. */
  static byte[] encode(char[] chars, int off, int count) {
    int end = off + count;
    int size = 0;
    boolean ascii = true;
    for (int k = off; k < end; k++) {
      char c = chars[k];
      if (c < 0x80) {
        size++;
        continue;
      }
      ascii = false;
      if (c < 0x800) {
        size += 2;
      } else if (Character.isHighSurrogate(c) && k + 1 < end && Character.isLowSurrogate(chars[k + 1])) {
        size += 4;
        k++;
      } else {
        size += 3; // a BMP char, or an unpaired surrogate written as U+FFFD
      }
    }
    byte[] out = new byte[size];
    if (ascii) {
      for (int k = 0; k < count; k++) out[k] = (byte) chars[off + k];
      return out;
    }
    int p = 0;
    for (int k = off; k < end; k++) {
      char c = chars[k];
      int cp = c;
      if (Character.isHighSurrogate(c) && k + 1 < end && Character.isLowSurrogate(chars[k + 1])) {
        cp = Character.toCodePoint(c, chars[++k]);
      }
      p = encode(cp, out, p);
    }
    return out;
  }

  private static int encode(int cp, byte[] out, int p) {
    if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
    if (cp < 0x80) {
      out[p++] = (byte) cp;
    } else if (cp < 0x800) {
      out[p++] = (byte) (0xC0 | cp >> 6);
      out[p++] = (byte) (0x80 | cp & 0x3F);
    } else if (cp < 0x10000) {
      out[p++] = (byte) (0xE0 | cp >> 12);
      out[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
      out[p++] = (byte) (0x80 | cp & 0x3F);
    } else {
      out[p++] = (byte) (0xF0 | cp >> 18);
      out[p++] = (byte) (0x80 | cp >> 12 & 0x3F);
      out[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
      out[p++] = (byte) (0x80 | cp & 0x3F);
    }
    return p;
  }
}
