package io.lodge.querier.logql;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.lodge.querier.logql.ast.BinaryOp;
import io.lodge.querier.logql.ast.BinaryOpExpr;
import io.lodge.querier.logql.ast.Expr;
import io.lodge.querier.logql.ast.Grouping;
import io.lodge.querier.logql.ast.LabelReplaceExpr;
import io.lodge.querier.logql.ast.LiteralExpr;
import io.lodge.querier.logql.ast.LogQuery;
import io.lodge.querier.logql.ast.LogRangeExpr;
import io.lodge.querier.logql.ast.RangeAggregationExpr;
import io.lodge.querier.logql.ast.RangeAggregationExpr.RangeOp;
import io.lodge.querier.logql.ast.SampleExpr;
import io.lodge.querier.logql.ast.VectorAggregationExpr;
import io.lodge.querier.logql.ast.VectorAggregationExpr.VectorOp;
import io.lodge.querier.logql.ast.VectorMatching;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Builds metric nodes with Loki's semantic checks and messages (LOKI-COMPAT §3.11–§3.14), and folds
 * literal-only binary expressions at parse time (§3.2).
 */
final class SampleExprs {
  private static final Set<RangeOp> GROUPING_ALLOWED = EnumSet.of(
      RangeOp.AVG_OVER_TIME, RangeOp.STDDEV_OVER_TIME, RangeOp.STDVAR_OVER_TIME,
      RangeOp.QUANTILE_OVER_TIME, RangeOp.MAX_OVER_TIME, RangeOp.MIN_OVER_TIME,
      RangeOp.FIRST_OVER_TIME, RangeOp.LAST_OVER_TIME);
  private static final Set<RangeOp> UNWRAP_FORBIDDEN = EnumSet.of(
      RangeOp.COUNT_OVER_TIME, RangeOp.BYTES_OVER_TIME, RangeOp.BYTES_RATE);
  private static final Set<RangeOp> UNWRAP_OPTIONAL = EnumSet.of(
      RangeOp.COUNT_OVER_TIME, RangeOp.BYTES_OVER_TIME, RangeOp.BYTES_RATE, RangeOp.RATE,
      RangeOp.ABSENT_OVER_TIME);

  private SampleExprs() {}

  static RangeAggregationExpr rangeAggregation(
      RangeOp op, LogRangeExpr range, String param, Grouping grouping) {
    String name = op.function();
    Double p = null;
    if (param != null) {
      if (op != RangeOp.QUANTILE_OVER_TIME) {
        throw ParseException.noPosition(
            "parameter " + param + " not supported for operation " + name);
      }
      try {
        p = Double.parseDouble(param);
      } catch (NumberFormatException e) {
        throw ParseException.noPosition("invalid parameter for operation " + name + ": " + param);
      }
    } else if (op == RangeOp.QUANTILE_OVER_TIME) {
      throw ParseException.noPosition("parameter required for operation " + name);
    }
    if (grouping != null && !GROUPING_ALLOWED.contains(op)) {
      throw ParseException.noPosition("grouping not allowed for " + name + " aggregation");
    }
    if (range.unwrap() != null && UNWRAP_FORBIDDEN.contains(op)) {
      throw ParseException.noPosition("invalid aggregation " + name + " with unwrap");
    }
    if (range.unwrap() == null && !UNWRAP_OPTIONAL.contains(op)) {
      throw ParseException.noPosition("invalid aggregation " + name + " without unwrap");
    }
    return new RangeAggregationExpr(op, range, p, grouping);
  }

  static VectorAggregationExpr vectorAggregation(
      VectorOp op, SampleExpr inner, String param, Grouping grouping) {
    String name = op.function();
    Integer k = null;
    if (op.takesParam()) {
      if (param == null) throw ParseException.noPosition("parameter required for operation " + name);
      try {
        k = Integer.parseInt(param);
      } catch (NumberFormatException e) {
        throw ParseException.noPosition("invalid parameter " + name + "(" + param + ",");
      }
      if (k <= 0) {
        throw ParseException.noPosition(
            "invalid parameter (must be greater than 0) " + name + "(" + param);
      }
      if (op == VectorOp.APPROX_TOPK && grouping != null) {
        throw ParseException.noPosition("grouping not allowed for approx_topk aggregation");
      }
    } else if (param != null) {
      throw ParseException.noPosition("unsupported parameter for operation " + name + "(" + param + ",");
    }
    if ((op == VectorOp.SORT || op == VectorOp.SORT_DESC) && grouping != null) {
      throw ParseException.noPosition("sort and sort_desc doesn't allow grouping by ");
    }
    return new VectorAggregationExpr(op, inner, k, grouping);
  }

  static LabelReplaceExpr labelReplace(LabelReplaceExpr e) {
    try {
      Pattern.compile("^(?:" + e.regex() + ")$");
    } catch (PatternSyntaxException ex) {
      throw ParseException.noPosition("invalid regex in label_replace: " + reMessage(ex, e.regex()));
    }
    if (!e.dst().matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
      throw ParseException.noPosition("invalid destination label name in label_replace: " + e.dst());
    }
    return e;
  }

  /**
   * Go's regexp error text, {@code error parsing regexp: <what>: `<where>`}, from re2j's exception;
   * the anchoring wrapper we add around matcher regexes is shown as the user's pattern.
   */
  static String reMessage(PatternSyntaxException ex, String userPattern) {
    String where = ex.getPattern();
    if (where.equals("^(?:" + userPattern + ")$")) where = userPattern;
    return "error parsing regexp: " + ex.getDescription() + ": `" + where + "`";
  }

  /**
   * {@code left op right} with Loki's leg checks; two literals fold to a literal (comparisons give
   * 1 or 0 with or without {@code bool}).
   */
  static SampleExpr binary(
      BinaryOp op, Expr left, Expr right, boolean returnBool, VectorMatching matching) {
    SampleExpr l = leg("left", op, left);
    SampleExpr r = leg("right", op, right);
    if (op.isSetOp()) {
      if (l instanceof LiteralExpr lit) throw setLiteral("left", op, lit);
      if (r instanceof LiteralExpr lit) throw setLiteral("right", op, lit);
    }
    if (returnBool && !op.isComparison()) {
      throw ParseException.noPosition("bool modifier can only be used on comparison operators");
    }
    if (l instanceof LiteralExpr a && r instanceof LiteralExpr b) {
      return new LiteralExpr(op.apply(a.value(), b.value()));
    }
    return new BinaryOpExpr(op, l, r, returnBool, matching);
  }

  private static SampleExpr leg(String side, BinaryOp op, Expr e) {
    if (e instanceof SampleExpr s) return s;
    String type = ((LogQuery) e).stages().isEmpty() ? "*syntax.MatchersExpr" : "*syntax.PipelineExpr";
    return fail("unexpected type for " + side + " leg of binary operation (" + op.text() + "): " + type);
  }

  private static ParseException setLiteral(String side, BinaryOp op, LiteralExpr lit) {
    return ParseException.noPosition("unexpected literal for " + side
        + " leg of logical/set binary operation (" + op.text() + "): "
        + String.format(Locale.ROOT, "%f", lit.value()));
  }

  private static SampleExpr fail(String msg) {
    throw ParseException.noPosition(msg);
  }
}
