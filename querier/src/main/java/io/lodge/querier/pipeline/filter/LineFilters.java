package io.lodge.querier.pipeline.filter;

import com.google.re2j.Pattern;
import io.lodge.querier.logql.ast.LineFilterExpr;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles {@link LineFilterExpr}s (LOKI-COMPAT 3.4) to {@link LineFilter}s: {@code or} alternatives
 * inherit the operator, negated operators make {@code or} an AND of negations, and regexes that are
 * plain literals (optionally {@code (?i)}) become substring searches.
 */
public final class LineFilters {
  private LineFilters() {}

  /** The filter for one expression; the expression must already have passed the stage checks. */
  public static LineFilter compile(LineFilterExpr expr) {
    List<LineFilter> alts = new ArrayList<>(expr.values().size());
    for (LineFilterExpr.Value v : expr.values()) alts.add(positive(expr.op(), v));
    if (expr.op().negated()) {
      List<LineFilter> nots = new ArrayList<>(alts.size());
      for (LineFilter f : alts) nots.add(new NotFilter(f));
      return nots.size() == 1 ? nots.get(0) : new AllOfFilter(nots);
    }
    if (alts.contains(TrueFilter.INSTANCE)) return TrueFilter.INSTANCE;
    return alts.size() == 1 ? alts.get(0) : new AnyOfFilter(alts);
  }

  private static LineFilter positive(LineFilterExpr.Op op, LineFilterExpr.Value v) {
    if (v.ip()) return new IpLineFilter(IpPattern.parse(v.text()));
    return switch (op) {
      case CONTAINS, NOT_CONTAINS -> v.text().isEmpty() ? TrueFilter.INSTANCE : new ContainsFilter(v.text());
      case MATCH, NOT_MATCH -> regex(v.text());
      case PATTERN, NOT_PATTERN -> new PatternFilter(v.text());
    };
  }

  /** A regex filter, or a cheaper equivalent when the regex is a literal. */
  static LineFilter regex(String re) {
    if (re.isEmpty() || re.equals(".*")) return TrueFilter.INSTANCE;
    if (RegexLiterals.isPlainLiteral(re)) return new ContainsFilter(re);
    Pattern p = Pattern.compile(re);
    if (re.startsWith("(?i)")) {
      String lit = re.substring(4);
      if (!lit.isEmpty() && RegexLiterals.isPlainLiteral(lit) && isAscii(lit)) return new CaseInsensitiveContainsFilter(lit, p);
    }
    List<String> literals = RegexLiterals.anyOf(re);
    if (literals == null) return new RegexFilter(p, null);
    byte[][] anyOf = new byte[literals.size()][];
    for (int i = 0; i < anyOf.length; i++) anyOf[i] = literals.get(i).getBytes(StandardCharsets.UTF_8);
    return new RegexFilter(p, anyOf);
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80) return false;
    return true;
  }
}
