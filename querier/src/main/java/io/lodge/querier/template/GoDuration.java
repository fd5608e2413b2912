package io.lodge.querier.template;

/** Go's {@code time.ParseDuration} ({@code 1h2m3.5s}, {@code -1.5ms}, {@code 300µs}) with its messages. */
final class GoDuration {
  private GoDuration() {}

  private static final long MAX = Long.MAX_VALUE;

  /** Nanoseconds of {@code s}; throws {@link IllegalArgumentException} with Go's message. */
  static long parse(String orig) {
    String s = orig;
    boolean neg = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      neg = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) return 0;
    if (s.isEmpty()) throw invalid(orig);
    // Accumulate as unsigned in a long: Go allows exactly 1<<63 for negative durations.
    long d = 0;
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (!(c == '.' || c >= '0' && c <= '9')) throw invalid(orig);
      int start = i;
      long v = 0;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        if (Long.compareUnsigned(v, (1L << 63) / 10) > 0) throw invalid(orig);
        v = v * 10 + (s.charAt(i) - '0');
        if (Long.compareUnsigned(v, 1L << 63) > 0) throw invalid(orig);
        i++;
      }
      boolean pre = i != start;
      long f = 0;
      double scale = 1;
      boolean post = false;
      if (i < n && s.charAt(i) == '.') {
        i++;
        int fs = i;
        boolean overflow = false;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          if (!overflow) {
            if (f > (MAX) / 10) {
              overflow = true;
            } else {
              long y = f * 10 + (s.charAt(i) - '0');
              if (y < 0) {
                overflow = true;
              } else {
                f = y;
                scale *= 10;
              }
            }
          }
          i++;
        }
        post = i != fs;
      }
      if (!pre && !post) throw invalid(orig);
      int us = i;
      while (i < n && s.charAt(i) != '.' && !(s.charAt(i) >= '0' && s.charAt(i) <= '9')) i++;
      if (i == us) throw new IllegalArgumentException("time: missing unit in duration " + GoQuote.quote(orig));
      String u = s.substring(us, i);
      long unit = switch (u) {
        case "ns" -> 1L;
        case "us", "\u00b5s", "\u03bcs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        case "h" -> 3_600_000_000_000L;
        default -> throw new IllegalArgumentException(
            "time: unknown unit " + GoQuote.quote(u) + " in duration " + GoQuote.quote(orig));
      };
      if (Long.compareUnsigned(v, (1L << 63) / unit) > 0) throw invalid(orig);
      v *= unit;
      if (f > 0) {
        v += (long) (f * (unit / scale));
        if (Long.compareUnsigned(v, 1L << 63) > 0) throw invalid(orig);
      }
      d += v;
      if (Long.compareUnsigned(d, 1L << 63) > 0) throw invalid(orig);
    }
    if (neg) return -d;
    if (d < 0) throw invalid(orig);
    return d;
  }

  /** {@code Duration.Seconds()}. */
  static double seconds(long d) {
    long sec = d / 1_000_000_000L;
    long nsec = d % 1_000_000_000L;
    return sec + nsec / 1e9;
  }

  private static IllegalArgumentException invalid(String orig) {
    return new IllegalArgumentException("time: invalid duration " + GoQuote.quote(orig));
  }
}
