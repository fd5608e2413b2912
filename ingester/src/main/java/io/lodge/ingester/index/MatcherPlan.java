package io.lodge.ingester.index;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How one {@link LabelMatcher} is evaluated against an index of label values, shared by
 * {@link LabelIndex} (Lucene terms) and {@link HeadIndex} (in-memory postings).
 *
 * <p>Prometheus semantics (LOKI-COMPAT §3.3): a label that is absent, or present with an empty value,
 * matches as {@code ""}. So a stream matches when either it has a non-empty value in the accepted set, or
 * it has no (non-empty) value and the matcher accepts {@code ""} ({@link #matchesAbsent()}). The
 * accepted set of non-empty values is described in one of three ways:
 *
 * <ul>
 *   <li>{@link Kind#IN_SET}: exactly {@link #values()} ({@code =} and literal alternations such as
 *       {@code =~"a|b"}), so no walk of the value dictionary is needed;
 *   <li>{@link Kind#NOT_IN_SET}: every value except {@link #values()} ({@code !=} and {@code !~"a|b"});
 *   <li>{@link Kind#PREDICATE}: a real regex; the caller walks the label's values and tests each one
 *       with {@link LabelMatcher#matches(String)} (re2j), never a different regex dialect.
 * </ul>
 */
public record MatcherPlan(LabelMatcher matcher, Kind kind, Set<String> values, boolean matchesAbsent) {

  /** How the accepted set of non-empty values is known. */
  public enum Kind {
    IN_SET, NOT_IN_SET, PREDICATE
  }

  public MatcherPlan {
    values = Collections.unmodifiableSet(values);
  }

  /** Plans one matcher; literal-only regexes ({@code a|b|c}, {@code (a|b)}, {@code foo\.bar}) become sets. */
  public static MatcherPlan of(LabelMatcher m) {
    boolean absent = m.matchesEmpty();
    return switch (m.type()) {
      case EQ -> new MatcherPlan(m, Kind.IN_SET, nonEmpty(List.of(m.value())), absent);
      case NEQ -> new MatcherPlan(m, Kind.NOT_IN_SET, nonEmpty(List.of(m.value())), absent);
      case RE, NRE -> {
        List<String> literals = literalAlternatives(m.value());
        if (literals == null) yield new MatcherPlan(m, Kind.PREDICATE, Set.of(), absent);
        Kind k = m.type() == LabelMatcher.Type.RE ? Kind.IN_SET : Kind.NOT_IN_SET;
        yield new MatcherPlan(m, k, nonEmpty(literals), absent);
      }
    };
  }

  /** The label name this plan constrains. */
  public String name() {
    return matcher.name();
  }

  /** Whether a non-empty value is accepted; for {@link Kind#PREDICATE} this runs the regex. */
  public boolean accepts(String nonEmptyValue) {
    return switch (kind) {
      case IN_SET -> values.contains(nonEmptyValue);
      case NOT_IN_SET -> !values.contains(nonEmptyValue);
      case PREDICATE -> matcher.matches(nonEmptyValue);
    };
  }

  /** Whether a stream's value of the label (null or empty when absent) satisfies the matcher. */
  public boolean test(String value) {
    return value == null || value.isEmpty() ? matchesAbsent : accepts(value);
  }

  private static Set<String> nonEmpty(List<String> values) {
    Set<String> s = new LinkedHashSet<>();
    for (String v : values) if (!v.isEmpty()) s.add(v);
    return s;
  }

  /**
   * The literals of a regex that is only an alternation of plain strings (optionally in one pair of
   * parentheses, with backslash-escaped punctuation such as {@code \.} as Grafana writes variable values),
   * or null when it uses any other regex syntax. RE2 anchors the whole value, so {@code a|b} accepts
   * exactly {@code "a"} and {@code "b"}; an empty alternative ({@code a|}) accepts {@code ""}.
   */
  static List<String> literalAlternatives(String regex) {
    String r = regex;
    if (r.length() >= 2 && r.charAt(0) == '(' && r.charAt(r.length() - 1) == ')' && !r.startsWith("(?")) {
      r = r.substring(1, r.length() - 1);
    }
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < r.length(); ) {
      int cp = r.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '|') {
        out.add(cur.toString());
        cur.setLength(0);
      } else if (cp == '\\') {
        if (i >= r.length()) return null;
        int next = r.codePointAt(i);
        // Only escaped ASCII punctuation is a literal; \d, \w, \p{..}, \Q.. are classes or modes.
        if (next >= 128 || Character.isLetterOrDigit(next) || Character.isWhitespace(next)) return null;
        cur.appendCodePoint(next);
        i += Character.charCount(next);
      } else if (isLiteral(cp)) {
        cur.appendCodePoint(cp);
      } else {
        return null;
      }
    }
    out.add(cur.toString());
    return out;
  }

  private static boolean isLiteral(int cp) {
    if (cp < 128) {
      return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')
          || "_-/:,@=<>!%&;'\"#~ ".indexOf(cp) >= 0;
    }
    // Non-ASCII letters and digits are literals in RE2; anything else is left to the regex engine.
    return Character.isLetterOrDigit(cp);
  }
}
