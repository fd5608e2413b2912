package io.lodge.querier.logql;

import io.lodge.ingester.index.LabelMatcher;
import io.lodge.querier.logql.ast.BinaryOpExpr;
import io.lodge.querier.logql.ast.Expr;
import io.lodge.querier.logql.ast.LabelReplaceExpr;
import io.lodge.querier.logql.ast.LiteralExpr;
import io.lodge.querier.logql.ast.LogQuery;
import io.lodge.querier.logql.ast.RangeAggregationExpr;
import io.lodge.querier.logql.ast.StreamSelector;
import io.lodge.querier.logql.ast.VectorAggregationExpr;
import io.lodge.querier.logql.ast.VectorExpr;
import java.util.ArrayList;
import java.util.List;

/**
 * LOKI-COMPAT §3.3's selector rule: every selector needs at least one matcher that rejects the empty
 * value. Applied to queries by default; the series endpoint skips it.
 */
public final class SelectorRule {
  /** Loki's message (without the {@code parse error : } prefix). */
  public static final String MESSAGE = "queries require at least one regexp or equality matcher that "
      + "does not have an empty-compatible value. For instance, app=~\".*\" does not meet this "
      + "requirement, but app=~\".+\" will";

  private SelectorRule() {}

  /** Throws {@link ParseException} when {@code selector} breaks the rule. */
  public static void check(StreamSelector selector) {
    for (LabelMatcher m : selector.matchers()) {
      if (!m.matchesEmpty()) return;
    }
    throw ParseException.noPosition(MESSAGE);
  }

  /** Checks every selector of {@code expr}. */
  public static void check(Expr expr) {
    for (StreamSelector s : selectors(expr)) check(s);
  }

  /** Every stream selector in {@code expr}, left to right. */
  public static List<StreamSelector> selectors(Expr expr) {
    List<StreamSelector> out = new ArrayList<>();
    collect(expr, out);
    return out;
  }

  private static void collect(Expr e, List<StreamSelector> out) {
    switch (e) {
      case LogQuery q -> out.add(q.selector());
      case RangeAggregationExpr r -> out.add(r.range().log().selector());
      case VectorAggregationExpr v -> collect(v.inner(), out);
      case BinaryOpExpr b -> {
        collect(b.left(), out);
        collect(b.right(), out);
      }
      case LabelReplaceExpr l -> collect(l.inner(), out);
      case LiteralExpr l -> { }
      case VectorExpr v -> { }
    }
  }
}
