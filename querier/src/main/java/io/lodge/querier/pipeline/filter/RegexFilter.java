package io.lodge.querier.pipeline.filter;

import com.google.re2j.Pattern;

/**
 * {@code |~ "re"}: an unanchored RE2 search over the line bytes (re2j; {@code .} does not match
 * {@code \n}, no multi-line anchors, as in Go). An optional literal that every match must contain is
 * tested first, so most non-matching lines never reach the regex engine.
 */
public final class RegexFilter implements LineFilter {
  private final Pattern pattern;
  private final byte[] required;

  RegexFilter(Pattern pattern, byte[] required) {
    this.pattern = pattern;
    this.required = required;
  }

  @Override
  public boolean matches(byte[] line) {
    if (required != null && ContainsFilter.indexOf(line, required, 0) < 0) return false;
    return pattern.matcher(line).find();
  }

  @Override
  public int cost() {
    return 3;
  }
}
