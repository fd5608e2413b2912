package io.lodge.querier.logql;

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
import io.lodge.querier.logql.ast.UnwrapExpr;
import io.lodge.querier.logql.ast.VectorAggregationExpr;
import io.lodge.querier.logql.ast.VectorAggregationExpr.VectorOp;
import io.lodge.querier.logql.ast.VectorExpr;
import io.lodge.querier.logql.ast.VectorMatching;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Recursive-descent parser for whole LogQL queries (LOKI-COMPAT §3.2): binary operators by
 * precedence climbing, range and vector aggregations, {@code vector()}, {@code label_replace()} and
 * all written forms of a log range. Semantic checks run in {@link SampleExprs} at the point Loki's
 * grammar runs them.
 */
final class ExprParser {
  private final TokenStream ts;
  private final LogParser logs;
  /**
   * Errors Loki records on a node (instead of failing at once) and reports after the whole query
   * has parsed, walking the tree top-down and left to right; keyed by the placeholder node.
   */
  private final Map<Object, ParseException> deferred = new IdentityHashMap<>();

  ExprParser(TokenStream ts) {
    this.ts = ts;
    this.logs = new LogParser(ts);
  }

  /**
   * The whole input as one expression. After a clean parse, the tree is walked as Loki validates
   * it: a node's own deferred error first, then (when asked) the §3.3 rule for its selector, then
   * its children left to right.
   */
  Expr query(boolean validateSelectors) {
    if (ts.at(TokenType.EOF)) throw ParseException.noPosition("syntax error: unexpected $end");
    Expr e = expr(0);
    ts.expect(TokenType.EOF);
    validate(e, validateSelectors);
    return e;
  }

  private void validate(Expr e, boolean selectors) {
    ParseException own = deferred.get(e);
    if (own != null) throw own;
    switch (e) {
      case LogQuery q -> {
        if (selectors) SelectorRule.check(q.selector());
      }
      case RangeAggregationExpr r -> {
        if (selectors) SelectorRule.check(r.range().log().selector());
      }
      case VectorAggregationExpr v -> validate(v.inner(), selectors);
      case BinaryOpExpr b -> {
        validate(b.left(), selectors);
        validate(b.right(), selectors);
      }
      case LabelReplaceExpr l -> validate(l.inner(), selectors);
      case LiteralExpr l -> { }
      case VectorExpr v -> { }
    }
  }

  private <T> T defer(ParseException error, T placeholder) {
    deferred.put(placeholder, error);
    return placeholder;
  }

  private Expr expr(int minPrec) {
    ts.enter();
    try {
      return climb(minPrec);
    } finally {
      ts.exit();
    }
  }

  private Expr climb(int minPrec) {
    Expr left = unary();
    while (true) {
      BinaryOp op = binaryOp(ts.peek().type());
      if (op == null || op.precedence() < minPrec) return left;
      ts.next();
      boolean returnBool = ts.accept(TokenType.BOOL);
      VectorMatching matching = matching();
      Expr right = expr(op.rightAssociative() ? op.precedence() : op.precedence() + 1);
      try {
        left = SampleExprs.binary(op, left, right, returnBool, matching);
      } catch (ParseException e) {
        left = defer(e, new BinaryOpExpr(op, placeholder(left), placeholder(right), false, null));
      }
    }
  }

  private static SampleExpr placeholder(Expr e) {
    return e instanceof SampleExpr s ? s : new LiteralExpr(0);
  }

  private static BinaryOp binaryOp(TokenType t) {
    return switch (t) {
      case OR -> BinaryOp.OR;
      case AND -> BinaryOp.AND;
      case UNLESS -> BinaryOp.UNLESS;
      case CMP_EQ -> BinaryOp.EQ;
      case NEQ -> BinaryOp.NEQ;
      case GT -> BinaryOp.GT;
      case GTE -> BinaryOp.GTE;
      case LT -> BinaryOp.LT;
      case LTE -> BinaryOp.LTE;
      case ADD -> BinaryOp.ADD;
      case SUB -> BinaryOp.SUB;
      case MUL -> BinaryOp.MUL;
      case DIV -> BinaryOp.DIV;
      case MOD -> BinaryOp.MOD;
      case POW -> BinaryOp.POW;
      default -> null;
    };
  }

  private VectorMatching matching() {
    boolean on = ts.at(TokenType.ON);
    if (!on && !ts.at(TokenType.IGNORING)) return null;
    ts.next();
    List<String> labels = labelList();
    VectorMatching.Card card = VectorMatching.Card.ONE_TO_ONE;
    List<String> include = List.of();
    if (ts.at(TokenType.GROUP_LEFT) || ts.at(TokenType.GROUP_RIGHT)) {
      card = ts.next().is(TokenType.GROUP_LEFT)
          ? VectorMatching.Card.MANY_TO_ONE : VectorMatching.Card.ONE_TO_MANY;
      if (ts.at(TokenType.LPAREN)) include = labelList();
    }
    return new VectorMatching(on, labels, card, include);
  }

  /** {@code ( [a {, b}] )}. */
  private List<String> labelList() {
    ts.expect(TokenType.LPAREN);
    List<String> out = new ArrayList<>();
    if (ts.accept(TokenType.RPAREN)) return out;
    do {
      out.add(ts.expect(TokenType.IDENTIFIER).text());
    } while (ts.accept(TokenType.COMMA));
    ts.expect(TokenType.RPAREN);
    return out;
  }

  private Expr unary() {
    Token t = ts.peek();
    switch (t.type()) {
      case LBRACE -> {
        return logQuery();
      }
      case LPAREN -> {
        ts.next();
        Expr inner = expr(0);
        ts.expect(TokenType.RPAREN);
        return inner;
      }
      case NUMBER, ADD, SUB -> {
        return new LiteralExpr(logs.signedNumber());
      }
      case FUNCTION -> {
        return function(t);
      }
      default -> throw TokenStream.unexpected(t);
    }
  }

  private LogQuery logQuery() {
    var selector = logs.selector();
    return new LogQuery(selector, logs.pipeline(false).stages());
  }

  private Expr function(Token t) {
    String name = t.text();
    return switch (name) {
      case "vector" -> {
        ts.next();
        ts.expect(TokenType.LPAREN);
        double v = LogParser.number(ts.expect(TokenType.NUMBER, "NUMBER"));
        ts.expect(TokenType.RPAREN);
        yield new VectorExpr(v);
      }
      case "label_replace" -> labelReplace();
      case "ip", "bytes", "duration", "duration_seconds" -> throw TokenStream.unexpected(t);
      default -> name.endsWith("_over_time") || name.startsWith("rate") || name.startsWith("bytes_")
          ? rangeAggregation(RangeOp.valueOf(name.toUpperCase(Locale.ROOT)))
          : vectorAggregation(VectorOp.valueOf(name.toUpperCase(Locale.ROOT)));
    };
  }

  private Expr labelReplace() {
    ts.next();
    ts.expect(TokenType.LPAREN);
    SampleExpr inner = sample(expr(0));
    String[] args = new String[4];
    for (int i = 0; i < 4; i++) {
      ts.expect(TokenType.COMMA, ",");
      args[i] = ts.expect(TokenType.STRING, "STRING").text();
    }
    ts.expect(TokenType.RPAREN);
    LabelReplaceExpr e = new LabelReplaceExpr(inner, args[0], args[1], args[2], args[3]);
    try {
      return SampleExprs.labelReplace(e);
    } catch (ParseException ex) {
      return defer(ex, e);
    }
  }

  /** A metric argument: a log query where a sample is needed is a syntax error at the next token. */
  private SampleExpr sample(Expr e) {
    if (e instanceof SampleExpr s) return s;
    throw TokenStream.unexpected(ts.peek());
  }

  private Expr rangeAggregation(RangeOp op) {
    ts.next();
    ts.expect(TokenType.LPAREN);
    String param = null;
    if (ts.at(TokenType.NUMBER)) {
      param = ts.next().text();
      ts.expect(TokenType.COMMA, ",");
    }
    Object body = logOrRange();
    if (!(body instanceof LogRangeExpr range)) throw TokenStream.unexpected(ts.peek());
    ts.expect(TokenType.RPAREN);
    Grouping grouping = ts.at(TokenType.BY) || ts.at(TokenType.WITHOUT) ? grouping() : null;
    try {
      return SampleExprs.rangeAggregation(op, range, param, grouping);
    } catch (ParseException e) {
      return defer(e, new RangeAggregationExpr(op, range, null, grouping));
    }
  }

  /**
   * A log query or log range in any of §3.2's written forms; returns a {@link LogRangeExpr} once a
   * range was read, else a {@link PartialLog} (a parenthesised log query still waiting for its range).
   */
  private Object logOrRange() {
    ts.enter();
    try {
      return logOrRangeBody();
    } finally {
      ts.exit();
    }
  }

  private Object logOrRangeBody() {
    if (ts.accept(TokenType.LPAREN)) {
      Object inner = logOrRange();
      ts.expect(TokenType.RPAREN);
      if (inner instanceof LogRangeExpr || !ts.at(TokenType.RANGE)) return inner;
      PartialLog p = (PartialLog) inner;
      long range = ts.next().nanos();
      long offset = offset();
      UnwrapExpr unwrap = p.unwrap;
      if (unwrap == null && p.query.stages().isEmpty()
          && ts.at(TokenType.PIPE) && ts.peek(1).is(TokenType.UNWRAP)) {
        unwrap = logs.unwrap();
      }
      return new LogRangeExpr(p.query, range, offset, unwrap);
    }
    if (!ts.at(TokenType.LBRACE)) throw TokenStream.unexpected(ts.peek());
    var selector = logs.selector();
    if (ts.at(TokenType.RANGE)) {
      long range = ts.next().nanos();
      long offset = offset();
      LogParser.Pipeline p = logs.pipeline(true);
      return new LogRangeExpr(new LogQuery(selector, p.stages()), range, offset, p.unwrap());
    }
    LogParser.Pipeline p = logs.pipeline(true);
    LogQuery q = new LogQuery(selector, p.stages());
    if (ts.at(TokenType.RANGE)) {
      long range = ts.next().nanos();
      return new LogRangeExpr(q, range, offset(), p.unwrap());
    }
    return new PartialLog(q, p.unwrap());
  }

  private record PartialLog(LogQuery query, UnwrapExpr unwrap) {}

  private long offset() {
    if (!ts.accept(TokenType.OFFSET)) return 0;
    return ts.expect(TokenType.DURATION, "DURATION").nanos();
  }

  private Expr vectorAggregation(VectorOp op) {
    ts.next();
    Grouping grouping = ts.at(TokenType.BY) || ts.at(TokenType.WITHOUT) ? grouping() : null;
    ts.expect(TokenType.LPAREN);
    String param = null;
    if (ts.at(TokenType.NUMBER) && ts.peek(1).is(TokenType.COMMA)) {
      param = ts.next().text();
      ts.next();
    }
    SampleExpr inner = sample(expr(0));
    ts.expect(TokenType.RPAREN);
    if (ts.at(TokenType.BY) || ts.at(TokenType.WITHOUT)) {
      if (grouping != null) throw TokenStream.unexpected(ts.peek());
      grouping = grouping();
    }
    try {
      return SampleExprs.vectorAggregation(op, inner, param, grouping);
    } catch (ParseException e) {
      return defer(e, new VectorAggregationExpr(op, inner, null, grouping));
    }
  }

  private Grouping grouping() {
    boolean without = ts.next().is(TokenType.WITHOUT);
    return new Grouping(without, labelList());
  }
}
