package io.lodge.querier.logql;

import com.google.re2j.PatternSyntaxException;
import io.lodge.ingester.index.LabelMatcher;
import io.lodge.querier.logql.ast.BytesLabelFilter;
import io.lodge.querier.logql.ast.ComparisonOp;
import io.lodge.querier.logql.ast.DecolorizeStage;
import io.lodge.querier.logql.ast.DropStage;
import io.lodge.querier.logql.ast.DurationLabelFilter;
import io.lodge.querier.logql.ast.Extraction;
import io.lodge.querier.logql.ast.IpLabelFilter;
import io.lodge.querier.logql.ast.JsonParserStage;
import io.lodge.querier.logql.ast.KeepStage;
import io.lodge.querier.logql.ast.LabelFilterExpr;
import io.lodge.querier.logql.ast.LabelFilterStage;
import io.lodge.querier.logql.ast.LabelFormatStage;
import io.lodge.querier.logql.ast.LabelSelectorItem;
import io.lodge.querier.logql.ast.LineFilterExpr;
import io.lodge.querier.logql.ast.LineFormatStage;
import io.lodge.querier.logql.ast.LogfmtParserStage;
import io.lodge.querier.logql.ast.NumericLabelFilter;
import io.lodge.querier.logql.ast.PatternParserStage;
import io.lodge.querier.logql.ast.RegexpParserStage;
import io.lodge.querier.logql.ast.Stage;
import io.lodge.querier.logql.ast.StreamSelector;
import io.lodge.querier.logql.ast.StringLabelFilter;
import io.lodge.querier.logql.ast.UnpackStage;
import io.lodge.querier.logql.ast.UnwrapExpr;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the log half of LogQL: stream selectors, pipelines (line filters, parsers, label filters,
 * formatters, drop/keep/decolorize) and {@code unwrap} (LOKI-COMPAT §3.3–§3.8, §3.11).
 */
final class LogParser {
  private final TokenStream ts;

  LogParser(TokenStream ts) {
    this.ts = ts;
  }

  /** {@code {name op "value", ...}}; {@code {}} parses (the selector rule rejects it later). */
  StreamSelector selector() {
    ts.expect(TokenType.LBRACE);
    List<LabelMatcher> matchers = new ArrayList<>();
    if (ts.accept(TokenType.RBRACE)) return new StreamSelector(matchers);
    while (true) {
      matchers.add(matcher(ts.expect(TokenType.IDENTIFIER).text()));
      if (ts.accept(TokenType.RBRACE)) return new StreamSelector(matchers);
      ts.expect(TokenType.COMMA, "}", ",");
    }
  }

  private LabelMatcher matcher(String name) {
    Token op = ts.peek();
    LabelMatcher.Type type = switch (op.type()) {
      case EQ -> LabelMatcher.Type.EQ;
      case NEQ -> LabelMatcher.Type.NEQ;
      case RE -> LabelMatcher.Type.RE;
      case NRE -> LabelMatcher.Type.NRE;
      default -> throw TokenStream.unexpected(op, "=", "!=", "=~", "!~");
    };
    ts.next();
    return newMatcher(type, name, ts.expect(TokenType.STRING, "STRING").text());
  }

  static LabelMatcher newMatcher(LabelMatcher.Type type, String name, String value) {
    try {
      return LabelMatcher.of(type, name, value);
    } catch (PatternSyntaxException e) {
      throw ParseException.noPosition(SampleExprs.reMessage(e, value));
    }
  }

  /** Result of {@link #pipeline}: the stages, and the trailing unwrap when one was allowed and found. */
  record Pipeline(List<Stage> stages, UnwrapExpr unwrap) {}

  /** Stages until something that cannot continue a pipeline; {@code | unwrap} only when allowed. */
  Pipeline pipeline(boolean allowUnwrap) {
    List<Stage> stages = new ArrayList<>();
    while (true) {
      Token t = ts.peek();
      if (t.type().isLineFilterOp()) {
        stages.addAll(lineFilter());
      } else if (t.is(TokenType.PIPE)) {
        if (ts.peek(1).is(TokenType.UNWRAP) && allowUnwrap) return new Pipeline(stages, unwrap());
        ts.next();
        stages.add(stageAfterPipe());
      } else {
        return new Pipeline(stages, null);
      }
    }
  }

  /**
   * One written line filter. A negated {@code or} chain becomes one filter per alternative, as in
   * Loki ({@code != "a" or "b"} is {@code != "a" != "b"}, and prints so).
   */
  private List<LineFilterExpr> lineFilter() {
    LineFilterExpr.Op op = switch (ts.next().type()) {
      case PIPE_EXACT -> LineFilterExpr.Op.CONTAINS;
      case NEQ -> LineFilterExpr.Op.NOT_CONTAINS;
      case PIPE_MATCH -> LineFilterExpr.Op.MATCH;
      case NRE -> LineFilterExpr.Op.NOT_MATCH;
      case PIPE_PATTERN -> LineFilterExpr.Op.PATTERN;
      case NPA -> LineFilterExpr.Op.NOT_PATTERN;
      default -> throw new IllegalStateException("not a line filter operator");
    };
    List<LineFilterExpr.Value> values = new ArrayList<>();
    values.add(filterValue());
    while (ts.accept(TokenType.OR)) values.add(filterValue());
    if (!op.negated()) return List.of(new LineFilterExpr(op, values));
    List<LineFilterExpr> out = new ArrayList<>();
    for (LineFilterExpr.Value v : values) out.add(new LineFilterExpr(op, List.of(v)));
    return out;
  }

  private LineFilterExpr.Value filterValue() {
    Token t = ts.peek();
    if (t.is(TokenType.STRING)) return new LineFilterExpr.Value(ts.next().text(), false);
    if (t.isFunction("ip")) return new LineFilterExpr.Value(ipCall(), true);
    throw TokenStream.unexpected(t, "STRING", "ip");
  }

  /** {@code ip("...")} with the {@code ip} function token next. */
  private String ipCall() {
    ts.next();
    ts.expect(TokenType.LPAREN);
    String s = ts.expect(TokenType.STRING, "STRING").text();
    ts.expect(TokenType.RPAREN);
    return s;
  }

  private Stage stageAfterPipe() {
    Token t = ts.peek();
    switch (t.type()) {
      case JSON -> {
        ts.next();
        return new JsonParserStage(extractions());
      }
      case LOGFMT -> {
        ts.next();
        boolean strict = false;
        boolean keepEmpty = false;
        while (ts.at(TokenType.PARSER_FLAG)) {
          String f = ts.next().text();
          if (f.equals("--strict")) strict = true;
          else keepEmpty = true;
        }
        return new LogfmtParserStage(strict, keepEmpty, extractions());
      }
      case REGEXP -> {
        ts.next();
        String re = ts.expect(TokenType.STRING, "STRING").text();
        String bad = StageChecks.regexpParser(re);
        if (bad != null) throw ParseException.noPosition(bad);
        return new RegexpParserStage(re);
      }
      case PATTERN -> {
        ts.next();
        String p = ts.expect(TokenType.STRING, "STRING").text();
        String bad = StageChecks.patternParser(p);
        if (bad != null) throw ParseException.noPosition(bad);
        return new PatternParserStage(p);
      }
      case UNPACK -> {
        ts.next();
        return new UnpackStage();
      }
      case LINE_FMT -> {
        ts.next();
        return new LineFormatStage(ts.expect(TokenType.STRING, "STRING").text());
      }
      case LABEL_FMT -> {
        ts.next();
        return labelFormat();
      }
      case DECOLORIZE -> {
        ts.next();
        return new DecolorizeStage();
      }
      case DROP -> {
        ts.next();
        return new DropStage(labelItems());
      }
      case KEEP -> {
        ts.next();
        return new KeepStage(labelItems());
      }
      case IDENTIFIER, LPAREN -> {
        return new LabelFilterStage(labelFilter());
      }
      default -> throw TokenStream.unexpected(t);
    }
  }

  /** Optional {@code a="expr", b} list after json/logfmt. */
  private List<Extraction> extractions() {
    List<Extraction> out = new ArrayList<>();
    if (!ts.at(TokenType.IDENTIFIER)) return out;
    do {
      String label = ts.expect(TokenType.IDENTIFIER).text();
      String expr = ts.accept(TokenType.EQ) ? ts.expect(TokenType.STRING, "STRING").text() : label;
      out.add(new Extraction(label, expr));
    } while (ts.accept(TokenType.COMMA));
    return out;
  }

  private LabelFormatStage labelFormat() {
    List<LabelFormatStage.Item> items = new ArrayList<>();
    do {
      String name = ts.expect(TokenType.IDENTIFIER).text();
      ts.expect(TokenType.EQ, "=");
      Token v = ts.peek();
      if (v.is(TokenType.IDENTIFIER)) items.add(new LabelFormatStage.Item(name, ts.next().text(), true));
      else if (v.is(TokenType.STRING)) items.add(new LabelFormatStage.Item(name, ts.next().text(), false));
      else throw TokenStream.unexpected(v, "STRING", "IDENTIFIER");
    } while (ts.accept(TokenType.COMMA));
    return new LabelFormatStage(items);
  }

  /** {@code a, b="v", c=~"re"} after drop/keep (at least one item). */
  private List<LabelSelectorItem> labelItems() {
    List<LabelSelectorItem> items = new ArrayList<>();
    do {
      String name = ts.expect(TokenType.IDENTIFIER).text();
      TokenType op = ts.peek().type();
      if (op == TokenType.EQ || op == TokenType.NEQ || op == TokenType.RE || op == TokenType.NRE) {
        items.add(LabelSelectorItem.matching(matcher(name)));
      } else {
        items.add(LabelSelectorItem.named(name));
      }
    } while (ts.accept(TokenType.COMMA));
    return items;
  }

  /**
   * A label filter up to the end of its stage, with Loki's precedence (§3.6): {@code and} binds
   * tighter than {@code or}; {@code ,} and juxtaposition AND their left operand with everything to
   * their right.
   */
  LabelFilterExpr labelFilter() {
    ts.enter();
    try {
      return orChain();
    } finally {
      ts.exit();
    }
  }

  private LabelFilterExpr orChain() {
    LabelFilterExpr left = andChain();
    while (ts.accept(TokenType.OR)) left = new io.lodge.querier.logql.ast.BinaryLabelFilter(left, andChain(), false);
    return left;
  }

  private LabelFilterExpr andChain() {
    LabelFilterExpr left = unit();
    while (ts.accept(TokenType.AND)) left = and(left, unit());
    return left;
  }

  /** A primary, plus everything to its right when a comma or another filter follows directly. */
  private LabelFilterExpr unit() {
    LabelFilterExpr p = primary();
    if (ts.accept(TokenType.COMMA)) return and(p, labelFilter());
    if (ts.at(TokenType.IDENTIFIER) || ts.at(TokenType.LPAREN)) return and(p, labelFilter());
    return p;
  }

  private static LabelFilterExpr and(LabelFilterExpr a, LabelFilterExpr b) {
    return new io.lodge.querier.logql.ast.BinaryLabelFilter(a, b, true);
  }

  private LabelFilterExpr primary() {
    if (ts.accept(TokenType.LPAREN)) {
      LabelFilterExpr inner = labelFilter();
      ts.expect(TokenType.RPAREN);
      return inner;
    }
    String name = ts.expect(TokenType.IDENTIFIER).text();
    Token op = ts.peek();
    switch (op.type()) {
      case EQ, NEQ -> {
        ts.next();
        boolean neq = op.is(TokenType.NEQ);
        Token v = ts.peek();
        if (v.is(TokenType.STRING)) {
          return new StringLabelFilter(newMatcher(
              neq ? LabelMatcher.Type.NEQ : LabelMatcher.Type.EQ, name, ts.next().text()));
        }
        if (v.isFunction("ip")) return new IpLabelFilter(name, neq, ipCall());
        return comparison(name, neq ? ComparisonOp.NEQ : ComparisonOp.EQ);
      }
      case RE, NRE -> {
        ts.next();
        return new StringLabelFilter(newMatcher(op.is(TokenType.RE) ? LabelMatcher.Type.RE
            : LabelMatcher.Type.NRE, name, ts.expect(TokenType.STRING, "STRING").text()));
      }
      case CMP_EQ, GT, GTE, LT, LTE -> {
        ts.next();
        ComparisonOp cmp = switch (op.type()) {
          case CMP_EQ -> ComparisonOp.EQ;
          case GT -> ComparisonOp.GT;
          case GTE -> ComparisonOp.GTE;
          case LT -> ComparisonOp.LT;
          default -> ComparisonOp.LTE;
        };
        return comparison(name, cmp);
      }
      default -> throw TokenStream.unexpected(op);
    }
  }

  /** The literal of a numeric, duration or bytes filter (numbers may carry a sign). */
  private LabelFilterExpr comparison(String name, ComparisonOp op) {
    Token v = ts.peek();
    switch (v.type()) {
      case DURATION -> {
        ts.next();
        return new DurationLabelFilter(name, op, v.nanos());
      }
      case BYTES -> {
        ts.next();
        return new BytesLabelFilter(name, op, v.nanos());
      }
      case NUMBER, ADD, SUB -> {
        return new NumericLabelFilter(name, op, signedNumber());
      }
      default -> throw TokenStream.unexpected(v);
    }
  }

  /** {@code NUMBER}, {@code +NUMBER} or {@code -NUMBER}. */
  double signedNumber() {
    double sign = 1;
    if (ts.accept(TokenType.SUB)) sign = -1;
    else ts.accept(TokenType.ADD);
    return sign * number(ts.expect(TokenType.NUMBER, "NUMBER"));
  }

  static double number(Token t) {
    try {
      return Double.parseDouble(t.text());
    } catch (NumberFormatException e) {
      throw ParseException.at(t.line(), t.column(), "invalid number " + t.text());
    }
  }

  /** {@code | unwrap [conv(]label[)]} and the {@code | labelFilter}s after it. */
  UnwrapExpr unwrap() {
    ts.expect(TokenType.PIPE);
    ts.expect(TokenType.UNWRAP);
    Token t = ts.peek();
    UnwrapExpr.Conversion conv = UnwrapExpr.Conversion.NONE;
    String label;
    if (t.type() == TokenType.FUNCTION
        && (t.text().equals("bytes") || t.text().startsWith("duration"))) {
      ts.next();
      conv = switch (t.text()) {
        case "bytes" -> UnwrapExpr.Conversion.BYTES;
        case "duration" -> UnwrapExpr.Conversion.DURATION;
        default -> UnwrapExpr.Conversion.DURATION_SECONDS;
      };
      ts.expect(TokenType.LPAREN);
      label = ts.expect(TokenType.IDENTIFIER).text();
      ts.expect(TokenType.RPAREN);
    } else {
      label = ts.expect(TokenType.IDENTIFIER).text();
    }
    List<LabelFilterExpr> post = new ArrayList<>();
    while (ts.at(TokenType.PIPE)) {
      ts.next();
      post.add(labelFilter());
    }
    return new UnwrapExpr(label, conv, post);
  }
}
