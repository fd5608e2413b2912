package io.lodge.querier.logql;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.lodge.querier.logql.ast.Expr;
import io.lodge.querier.logql.ast.LabelFormatStage;
import io.lodge.querier.logql.ast.LineFilterExpr;
import io.lodge.querier.logql.ast.LogQuery;
import io.lodge.querier.logql.ast.RangeAggregationExpr;
import io.lodge.querier.logql.ast.Stage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks Loki makes when it builds a pipeline rather than when it parses (so
 * {@code format_query} does not make them): invalid line-filter regexes, {@code ip()} with a
 * non-equality operator, named captures in pattern filters, duplicate or {@code __error__} targets
 * in label_format. (The regexp and pattern parsers are checked while parsing, as Loki does.) Each failure is
 * {@code parse error : stage '<stage>' : <reason>} (LOKI-COMPAT §3.4, §3.5, §3.7). Templates are
 * not checked here.
 */
public final class StageChecks {
  private StageChecks() {}

  /** Throws {@link ParseException} for the first stage of {@code expr} Loki would refuse to build. */
  public static void check(Expr expr) {
    for (LogQuery q : logQueries(expr)) {
      for (Stage s : q.stages()) check(s);
    }
  }

  private static List<LogQuery> logQueries(Expr expr) {
    List<LogQuery> out = new ArrayList<>();
    collect(expr, out);
    return out;
  }

  private static void collect(Expr e, List<LogQuery> out) {
    switch (e) {
      case LogQuery q -> out.add(q);
      case RangeAggregationExpr r -> out.add(r.range().log());
      case io.lodge.querier.logql.ast.VectorAggregationExpr v -> collect(v.inner(), out);
      case io.lodge.querier.logql.ast.BinaryOpExpr b -> {
        collect(b.left(), out);
        collect(b.right(), out);
      }
      case io.lodge.querier.logql.ast.LabelReplaceExpr l -> collect(l.inner(), out);
      case io.lodge.querier.logql.ast.LiteralExpr l -> { }
      case io.lodge.querier.logql.ast.VectorExpr v -> { }
    }
  }

  /** Checks one stage. */
  public static void check(Stage stage) {
    String reason = switch (stage) {
      case LineFilterExpr f -> lineFilter(f);
      case LabelFormatStage l -> labelFormat(l);
      default -> null;
    };
    if (reason != null) throw ParseException.noPosition("stage '" + stage + "' : " + reason);
  }

  private static String lineFilter(LineFilterExpr f) {
    for (LineFilterExpr.Value v : f.values()) {
      if (v.ip()) {
        if (f.op() != LineFilterExpr.Op.CONTAINS && f.op() != LineFilterExpr.Op.NOT_CONTAINS) {
          return "ip: invalid operation";
        }
        continue;
      }
      switch (f.op()) {
        case MATCH, NOT_MATCH -> {
          try {
            Pattern.compile(v.text());
          } catch (PatternSyntaxException e) {
            return SampleExprs.reMessage(e, v.text());
          }
        }
        case PATTERN, NOT_PATTERN -> {
          for (PatternToken t : PatternToken.split(v.text())) {
            if (t.capture() && !t.text().equals("<_>")) {
              return "named captures are not allowed: found '" + t.text() + "'";
            }
          }
        }
        default -> { }
      }
    }
    return null;
  }

  /** Loki's parse-time check of {@code | regexp}: null when fine, else the message. */
  static String regexpParser(String regex) {
    Pattern p;
    try {
      p = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      return "invalid regexp parser: " + SampleExprs.reMessage(e, regex);
    }
    if (p.namedGroups().isEmpty()) {
      return "invalid regexp parser: at least one named capture must be supplied";
    }
    return null;
  }

  /** Loki's parse-time check of {@code | pattern}: null when fine, else the message. */
  static String patternParser(String pattern) {
    List<PatternToken> tokens = PatternToken.split(pattern);
    boolean named = false;
    for (int i = 0; i < tokens.size(); i++) {
      PatternToken t = tokens.get(i);
      if (!t.capture()) continue;
      if (i > 0 && tokens.get(i - 1).capture()) {
        return "invalid pattern parser: found consecutive capture '" + tokens.get(i - 1).text()
            + t.text() + "': invalid expression";
      }
      named |= !t.text().equals("<_>");
    }
    return named ? null : "invalid pattern parser: at least one capture is required";
  }

  private static String labelFormat(LabelFormatStage l) {
    Set<String> seen = new HashSet<>();
    for (LabelFormatStage.Item item : l.items()) {
      if (item.name().equals("__error__")) return "__error__ cannot be formatted";
      if (!seen.add(item.name())) {
        return "multiple label name '" + item.name() + "' not allowed in a single format operation";
      }
    }
    return null;
  }

  /** A piece of a pattern: a literal, or a capture {@code <name>} / {@code <_>}. */
  record PatternToken(String text, boolean capture) {
    /** Splits a pattern into literals and captures ({@code <} identifier {@code >}). */
    static List<PatternToken> split(String p) {
      List<PatternToken> out = new ArrayList<>();
      StringBuilder lit = new StringBuilder();
      int i = 0;
      while (i < p.length()) {
        int end = captureEnd(p, i);
        if (end < 0) {
          lit.append(p.charAt(i++));
          continue;
        }
        if (!lit.isEmpty()) {
          out.add(new PatternToken(lit.toString(), false));
          lit.setLength(0);
        }
        out.add(new PatternToken(p.substring(i, end), true));
        i = end;
      }
      if (!lit.isEmpty()) out.add(new PatternToken(lit.toString(), false));
      return out;
    }

    /** The index after a capture starting at {@code i}, or -1. */
    private static int captureEnd(String p, int i) {
      if (p.charAt(i) != '<' || i + 2 >= p.length()) return -1;
      int j = i + 1;
      char c = p.charAt(j);
      if (!(Character.isLetter(c) || c == '_')) return -1;
      while (j < p.length() && (Character.isLetterOrDigit(p.charAt(j)) || p.charAt(j) == '_')) j++;
      return j < p.length() && p.charAt(j) == '>' ? j + 1 : -1;
    }
  }
}
