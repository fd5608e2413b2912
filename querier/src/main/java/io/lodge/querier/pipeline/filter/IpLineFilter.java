package io.lodge.querier.pipeline.filter;

/** {@code |= ip("10.0.0.0/8")}: the line contains an address inside the pattern (LOKI-COMPAT 3.4). */
public final class IpLineFilter implements LineFilter {
  private final IpPattern pattern;

  public IpLineFilter(IpPattern pattern) {
    this.pattern = pattern;
  }

  @Override
  public boolean matches(byte[] line) {
    // Addresses are ASCII: a Latin-1 view maps each byte to one char without copying or decoding.
    return pattern.containsAddressIn(new Latin1View(line));
  }

  /** The bytes of a line as chars, one per byte. */
  private record Latin1View(byte[] bytes) implements CharSequence {
    @Override
    public int length() {
      return bytes.length;
    }

    @Override
    public char charAt(int index) {
      return (char) (bytes[index] & 0xff);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new String(bytes, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
      return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  @Override
  public int cost() {
    return 3;
  }
}
