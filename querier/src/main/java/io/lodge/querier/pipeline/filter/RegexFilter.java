package io.lodge.querier.pipeline.filter;

import com.google.re2j.Pattern;

/**
 * {@code |~ "re"}: an unanchored RE2 search over the line bytes (re2j; {@code .} does not match
 * {@code \n}, no multi-line anchors, as in Go). When every match must contain one of a few literals
 * ({@link RegexLiterals}), a line holding none of them is refused without running the regex engine,
 * which most lines of a selective query never reach.
 */
public final class RegexFilter implements LineFilter {
  private final Pattern pattern;
  private final byte[][] anyOf;

  /** {@code anyOf}: literals one of which every match contains, or null. */
  RegexFilter(Pattern pattern, byte[][] anyOf) {
    this.pattern = pattern;
    this.anyOf = anyOf;
  }

  @Override
  public boolean matches(byte[] line) {
    if (anyOf != null && !containsAny(line)) return false;
    return pattern.matcher(line).find();
  }

  private boolean containsAny(byte[] line) {
    for (byte[] literal : anyOf) {
      if (ContainsFilter.indexOf(line, literal, 0) >= 0) return true;
    }
    return false;
  }

  @Override
  public int cost() {
    return 3;
  }
}
