package io.lodge.querier.pipeline.filter;

import java.nio.charset.StandardCharsets;

/** {@code |= ip("10.0.0.0/8")}: the line contains an address inside the pattern (LOKI-COMPAT 3.4). */
public final class IpLineFilter implements LineFilter {
  private final IpPattern pattern;

  public IpLineFilter(IpPattern pattern) {
    this.pattern = pattern;
  }

  @Override
  public boolean matches(byte[] line) {
    // Addresses are ASCII: a Latin-1 view maps each byte to one char without decoding work.
    return pattern.containsAddressIn(new String(line, StandardCharsets.ISO_8859_1));
  }

  @Override
  public int cost() {
    return 3;
  }
}
