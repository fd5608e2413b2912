package io.lodge.querier.pipeline.filter;

/**
 * Parses IP addresses the way Go's {@code netip.ParseAddr} does: dotted IPv4 with four decimal fields
 * of 0-255 and no leading zeros, or IPv6 (with {@code ::} and an optional trailing IPv4). Addresses are
 * returned as 4 or 16 bytes; null when the text is not an address. Zones are not accepted.
 */
public final class IpAddresses {
  private IpAddresses() {}

  public static byte[] parse(CharSequence s) {
    return parse(s, 0, s.length());
  }

  public static byte[] parse(CharSequence s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == ':') return parseV6(s, from, to);
      if (c == '.') return parseV4(s, from, to);
    }
    return null;
  }

  static byte[] parseV4(CharSequence s, int from, int to) {
    byte[] out = new byte[4];
    int field = 0;
    int i = from;
    while (true) {
      if (i >= to) return null;
      int start = i;
      int v = 0;
      while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        v = v * 10 + (s.charAt(i) - '0');
        if (v > 255) return null;
        i++;
      }
      int len = i - start;
      if (len == 0 || (len > 1 && s.charAt(start) == '0')) return null;
      out[field++] = (byte) v;
      if (field == 4) return i == to ? out : null;
      if (i >= to || s.charAt(i) != '.') return null;
      i++;
    }
  }

  static byte[] parseV6(CharSequence s, int from, int to) {
    byte[] out = new byte[16];
    int ellipsis = -1;
    int i = from;
    if (to - from >= 2 && s.charAt(from) == ':' && s.charAt(from + 1) == ':') {
      ellipsis = 0;
      i += 2;
      if (i == to) return out;
    }
    int k = 0;
    while (k < 16) {
      int start = i;
      int v = 0;
      while (i < to && hex(s.charAt(i)) >= 0) {
        v = (v << 4) | hex(s.charAt(i));
        i++;
        if (i - start > 4) return null;
      }
      if (i == start) return null;
      if (i < to && s.charAt(i) == '.') {
        if (ellipsis < 0 && k != 12) return null;
        if (k + 4 > 16) return null;
        byte[] v4 = parseV4(s, start, to);
        if (v4 == null) return null;
        System.arraycopy(v4, 0, out, k, 4);
        k += 4;
        i = to;
        break;
      }
      out[k++] = (byte) (v >> 8);
      out[k++] = (byte) v;
      if (i == to) break;
      if (s.charAt(i) != ':') return null;
      i++;
      if (i < to && s.charAt(i) == ':') {
        if (ellipsis >= 0) return null;
        ellipsis = k;
        i++;
        if (i == to) break;
      } else if (i == to) {
        return null;
      }
    }
    if (i != to) return null;
    if (k < 16) {
      if (ellipsis < 0) return null;
      int n = 16 - k;
      for (int j = k - 1; j >= ellipsis; j--) out[j + n] = out[j];
      for (int j = ellipsis + n - 1; j >= ellipsis; j--) out[j] = 0;
    } else if (ellipsis >= 0) {
      return null;
    }
    return out;
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  /** Unsigned comparison of two addresses of the same length. */
  static int compare(byte[] a, byte[] b) {
    for (int i = 0; i < a.length; i++) {
      int c = Integer.compare(a[i] & 0xff, b[i] & 0xff);
      if (c != 0) return c;
    }
    return 0;
  }
}
