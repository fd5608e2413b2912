package io.lodge.querier.pipeline.filter;

/**
 * The argument of {@code ip("...")} (LOKI-COMPAT 3.4, 3.6): one address, a range {@code a-b} or a CIDR
 * {@code a/n}. Addresses of the other family never match (as with Go's netip).
 */
public final class IpPattern {
  private final byte[] low;
  private final byte[] high;

  private IpPattern(byte[] low, byte[] high) {
    this.low = low;
    this.high = high;
  }

  /** Parses a pattern; throws {@link IllegalArgumentException} with Loki-like wording when invalid. */
  public static IpPattern parse(String pattern) {
    String p = pattern.trim();
    int dash = p.indexOf('-');
    if (dash >= 0) {
      byte[] a = IpAddresses.parse(p, 0, dash);
      byte[] b = IpAddresses.parse(p, dash + 1, p.length());
      if (a == null || b == null || a.length != b.length) throw invalid(pattern);
      if (IpAddresses.compare(a, b) > 0) throw invalid(pattern);
      return new IpPattern(a, b);
    }
    int slash = p.indexOf('/');
    if (slash >= 0) {
      byte[] a = IpAddresses.parse(p, 0, slash);
      int bits;
      try {
        bits = Integer.parseInt(p.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw invalid(pattern);
      }
      if (a == null || bits < 0 || bits > a.length * 8) throw invalid(pattern);
      byte[] lo = a.clone();
      byte[] hi = a.clone();
      for (int i = 0; i < a.length * 8; i++) {
        if (i < bits) continue;
        lo[i / 8] &= (byte) ~(0x80 >> (i % 8));
        hi[i / 8] |= (byte) (0x80 >> (i % 8));
      }
      return new IpPattern(lo, hi);
    }
    byte[] a = IpAddresses.parse(p);
    if (a == null) throw invalid(pattern);
    return new IpPattern(a, a);
  }

  private static IllegalArgumentException invalid(String pattern) {
    return new IllegalArgumentException("ip: invalid pattern: " + pattern);
  }

  /** Whether {@code addr} (4 or 16 bytes) lies inside the pattern. */
  public boolean contains(byte[] addr) {
    return addr.length == low.length && IpAddresses.compare(addr, low) >= 0
        && IpAddresses.compare(addr, high) <= 0;
  }

  /**
   * Whether {@code text} holds an address inside the pattern. IPv4 candidates are maximal runs of
   * digits and dots, IPv6 candidates maximal runs of hex digits, colons and dots that contain a colon;
   * each run is parsed whole, so {@code 110.1.2.3} never yields {@code 10.1.2.3} and {@code 1.2.3.4.5}
   * yields nothing. Trailing dots (end of a sentence) and a port after an IPv4 address
   * ({@code 10.0.0.1:443}) do not hide the address.
   */
  public boolean containsAddressIn(CharSequence text) {
    int n = text.length();
    boolean v4 = low.length == 4;
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (v4 ? !v4Char(c) : !v6Char(c)) {
        i++;
        continue;
      }
      int start = i;
      while (i < n && (v4 ? v4Char(text.charAt(i)) : v6Char(text.charAt(i)))) i++;
      if (matchRun(text, start, i)) return true;
    }
    return false;
  }

  private boolean matchRun(CharSequence text, int start, int end) {
    int e = end;
    while (e > start && text.charAt(e - 1) == '.') e--;
    if (e - start < 2) return false;
    byte[] a = IpAddresses.parse(text, start, e);
    return a != null && contains(a);
  }

  private static boolean v4Char(char c) {
    return (c >= '0' && c <= '9') || c == '.';
  }

  private static boolean v6Char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':';
  }
}
