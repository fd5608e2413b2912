package io.lodge.querier.logql;

import io.lodge.ingester.index.LabelMatcher;
import io.lodge.querier.logql.ast.BinaryLabelFilter;
import io.lodge.querier.logql.ast.BinaryOp;
import io.lodge.querier.logql.ast.BinaryOpExpr;
import io.lodge.querier.logql.ast.BytesLabelFilter;
import io.lodge.querier.logql.ast.ComparisonOp;
import io.lodge.querier.logql.ast.DecolorizeStage;
import io.lodge.querier.logql.ast.DropStage;
import io.lodge.querier.logql.ast.DurationLabelFilter;
import io.lodge.querier.logql.ast.Expr;
import io.lodge.querier.logql.ast.Extraction;
import io.lodge.querier.logql.ast.Grouping;
import io.lodge.querier.logql.ast.IpLabelFilter;
import io.lodge.querier.logql.ast.JsonParserStage;
import io.lodge.querier.logql.ast.KeepStage;
import io.lodge.querier.logql.ast.LabelFilterExpr;
import io.lodge.querier.logql.ast.LabelFilterStage;
import io.lodge.querier.logql.ast.LabelFormatStage;
import io.lodge.querier.logql.ast.LabelReplaceExpr;
import io.lodge.querier.logql.ast.LabelSelectorItem;
import io.lodge.querier.logql.ast.LineFilterExpr;
import io.lodge.querier.logql.ast.LineFormatStage;
import io.lodge.querier.logql.ast.LiteralExpr;
import io.lodge.querier.logql.ast.LogQuery;
import io.lodge.querier.logql.ast.LogRangeExpr;
import io.lodge.querier.logql.ast.LogfmtParserStage;
import io.lodge.querier.logql.ast.NumericLabelFilter;
import io.lodge.querier.logql.ast.PatternParserStage;
import io.lodge.querier.logql.ast.RangeAggregationExpr;
import io.lodge.querier.logql.ast.RangeAggregationExpr.RangeOp;
import io.lodge.querier.logql.ast.RegexpParserStage;
import io.lodge.querier.logql.ast.SampleExpr;
import io.lodge.querier.logql.ast.Stage;
import io.lodge.querier.logql.ast.StreamSelector;
import io.lodge.querier.logql.ast.StringLabelFilter;
import io.lodge.querier.logql.ast.UnpackStage;
import io.lodge.querier.logql.ast.UnwrapExpr;
import io.lodge.querier.logql.ast.VectorAggregationExpr;
import io.lodge.querier.logql.ast.VectorAggregationExpr.VectorOp;
import io.lodge.querier.logql.ast.VectorExpr;
import io.lodge.querier.logql.ast.VectorMatching;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Generates random valid LogQL syntax trees (every node kind, tricky label names and strings) from a
 * seed, for the print/parse round-trip property.
 */
final class RandomAst {
  /** Label names, including function names that are identifiers when not followed by {@code (}. */
  private static final String[] NAMES = {
    "app", "job", "level", "__error__", "rate", "ip", "count", "bytes", "min", "sum", "vector",
    "duration", "x_1", "Status", "_a", "label_replace", "count_over_time"
  };
  private static final String[] STRINGS = {
    "", "foo", "a\"b", "back\\slash", "tab\there", "new\nline", "é ü", "😀", "\u0007bell", "x\u007fy",
    "{{.foo}}", "<_> GET <path>", "`raw`", "'single'", "# not a comment", "\u200b"
  };
  private static final String[] PARSER_REGEXES = {
    "(?P<a>\\w+)", "^(?P<ip>\\S+) (?P<rest>.*)$", "(?P<x>a|b)\n(?P<y>\"q\")"
  };
  private static final String[] PATTERNS = {"<ip> - <_> <status>", "<_> \"<method> <path>\"", "<a>\t<b>"};
  private static final String[] REGEXES = {".+", "a|b", "(?i)foo", "[0-9]{2,3}", "x.*y", "\\d+"};
  private static final EnumSet<RangeOp> NEEDS_UNWRAP = EnumSet.of(
      RangeOp.SUM_OVER_TIME, RangeOp.AVG_OVER_TIME, RangeOp.MIN_OVER_TIME, RangeOp.MAX_OVER_TIME,
      RangeOp.STDDEV_OVER_TIME, RangeOp.STDVAR_OVER_TIME, RangeOp.QUANTILE_OVER_TIME,
      RangeOp.FIRST_OVER_TIME, RangeOp.LAST_OVER_TIME, RangeOp.RATE_COUNTER);
  private static final EnumSet<RangeOp> MAY_UNWRAP = EnumSet.of(RangeOp.RATE, RangeOp.ABSENT_OVER_TIME);
  private static final EnumSet<RangeOp> MAY_GROUP = EnumSet.of(
      RangeOp.AVG_OVER_TIME, RangeOp.STDDEV_OVER_TIME, RangeOp.STDVAR_OVER_TIME,
      RangeOp.QUANTILE_OVER_TIME, RangeOp.MAX_OVER_TIME, RangeOp.MIN_OVER_TIME,
      RangeOp.FIRST_OVER_TIME, RangeOp.LAST_OVER_TIME);

  private final Random r;

  RandomAst(long seed) {
    this.r = new Random(seed);
  }

  Expr expr() {
    return r.nextInt(3) == 0 ? logQuery() : sample(3);
  }

  private <T> T pick(T[] a) {
    return a[r.nextInt(a.length)];
  }

  private String name() {
    return pick(NAMES);
  }

  private String string() {
    if (r.nextInt(4) > 0) return pick(STRINGS);
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(8);
    for (int i = 0; i < n; i++) {
      int cp = r.nextInt(3) == 0 ? r.nextInt(0x20) : 0x20 + r.nextInt(0x3000);
      if (cp >= 0xD800 && cp < 0xE000) cp = 'z';
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }

  private <T> List<T> list(int min, int max, Supplier<T> gen) {
    int n = min + r.nextInt(max - min + 1);
    List<T> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(gen.get());
    return out;
  }

  private LabelMatcher matcher() {
    LabelMatcher.Type t = pick(LabelMatcher.Type.values());
    String v = t == LabelMatcher.Type.RE || t == LabelMatcher.Type.NRE ? pick(REGEXES) : string();
    return LabelMatcher.of(t, name(), v);
  }

  LogQuery logQuery() {
    List<Stage> stages = list(0, 5, this::stage);
    for (int i = 1; i < stages.size(); i++) {
      // "| keep a != "x"" reads as a matcher item in Loki's grammar too: that tree has no spelling.
      if ((stages.get(i - 1) instanceof DropStage || stages.get(i - 1) instanceof KeepStage)
          && stages.get(i) instanceof LineFilterExpr f
          && (f.op() == LineFilterExpr.Op.NOT_CONTAINS || f.op() == LineFilterExpr.Op.NOT_MATCH)) {
        stages.set(i, new LineFilterExpr(LineFilterExpr.Op.CONTAINS, f.values()));
      }
    }
    return new LogQuery(new StreamSelector(list(0, 3, this::matcher)), stages);
  }

  private Stage stage() {
    return switch (r.nextInt(12)) {
      case 0, 1 -> {
        LineFilterExpr.Op op = pick(LineFilterExpr.Op.values());
        // a negated "or" chain is split into one filter per value by the parser
        yield new LineFilterExpr(op, list(1, op.negated() ? 1 : 3,
            () -> new LineFilterExpr.Value(string(), r.nextInt(4) == 0)));
      }
      case 2, 3 -> new LabelFilterStage(labelFilter(3));
      case 4 -> new JsonParserStage(list(0, 2, this::extraction));
      case 5 -> new LogfmtParserStage(r.nextBoolean(), r.nextBoolean(), list(0, 2, this::extraction));
      case 6 -> r.nextBoolean() ? new RegexpParserStage(pick(PARSER_REGEXES))
          : new PatternParserStage(pick(PATTERNS));
      case 7 -> r.nextBoolean() ? new UnpackStage() : new DecolorizeStage();
      case 8 -> new LineFormatStage(string());
      case 9 -> new LabelFormatStage(list(1, 3, () -> r.nextBoolean()
          ? new LabelFormatStage.Item(name(), name(), true)
          : new LabelFormatStage.Item(name(), string(), false)));
      case 10 -> new DropStage(list(1, 3, this::selectorItem));
      default -> new KeepStage(list(1, 3, this::selectorItem));
    };
  }

  private Extraction extraction() {
    String label = name();
    return new Extraction(label, r.nextBoolean() ? label : string());
  }

  private LabelSelectorItem selectorItem() {
    return r.nextBoolean() ? LabelSelectorItem.named(name()) : LabelSelectorItem.matching(matcher());
  }

  private LabelFilterExpr labelFilter(int depth) {
    int k = r.nextInt(depth > 0 ? 7 : 5);
    ComparisonOp op = pick(ComparisonOp.values());
    return switch (k) {
      case 0 -> new StringLabelFilter(matcher());
      case 1 -> new NumericLabelFilter(name(), op, number(true));
      case 2 -> new DurationLabelFilter(name(), op, (r.nextBoolean() ? 1 : -1)
          * (r.nextBoolean() ? r.nextLong(1, 1_000_000_000_000L) : r.nextLong(1, 10_000) * 60_000_000_000L));
      case 3 -> new BytesLabelFilter(name(), op, r.nextBoolean() ? r.nextLong(0, 1L << 40)
          : r.nextLong(1, 1000) * (r.nextBoolean() ? 1000L : 1024L));
      case 4 -> new IpLabelFilter(name(), r.nextBoolean(), string());
      default -> new BinaryLabelFilter(labelFilter(depth - 1), labelFilter(depth - 1), r.nextBoolean());
    };
  }

  private double number(boolean signed) {
    double v = switch (r.nextInt(4)) {
      case 0 -> r.nextInt(1000);
      case 1 -> r.nextDouble() * 100;
      case 2 -> Math.scalb(r.nextDouble(), r.nextInt(120) - 60);
      default -> Math.round(r.nextDouble() * 1e6) / 1e3;
    };
    return signed && r.nextBoolean() ? -v : v;
  }

  private SampleExpr sample(int depth) {
    int k = r.nextInt(depth > 0 ? 7 : 3);
    return switch (k) {
      case 0 -> rangeAggregation();
      case 1 -> new VectorExpr(number(false));
      case 2 -> rangeAggregation();
      case 3 -> vectorAggregation(depth - 1);
      case 4 -> new LabelReplaceExpr(sample(depth - 1), name(), string(), name(), pick(REGEXES));
      default -> binary(depth - 1);
    };
  }

  private SampleExpr binary(int depth) {
    BinaryOp op = pick(BinaryOp.values());
    SampleExpr left = sample(depth);
    SampleExpr right = sample(depth);
    if (!op.isSetOp() && r.nextInt(4) == 0) {
      if (r.nextBoolean()) left = new LiteralExpr(number(true));
      else right = new LiteralExpr(number(true));
    }
    VectorMatching m = null;
    if (r.nextBoolean()) {
      VectorMatching.Card card = pick(VectorMatching.Card.values());
      m = new VectorMatching(r.nextBoolean(), list(0, 2, this::name), card,
          card == VectorMatching.Card.ONE_TO_ONE ? List.of() : list(0, 2, this::name));
    }
    return new BinaryOpExpr(op, left, right, op.isComparison() && r.nextBoolean(), m);
  }

  private Grouping grouping() {
    return new Grouping(r.nextBoolean(), list(0, 3, this::name));
  }

  private SampleExpr vectorAggregation(int depth) {
    VectorOp op = pick(VectorOp.values());
    boolean noGrouping = op == VectorOp.SORT || op == VectorOp.SORT_DESC || op == VectorOp.APPROX_TOPK;
    Grouping g = noGrouping || r.nextBoolean() ? null : grouping();
    Integer k = op.takesParam() ? 1 + r.nextInt(100) : null;
    return new VectorAggregationExpr(op, sample(depth), k, g);
  }

  private SampleExpr rangeAggregation() {
    RangeOp op = pick(RangeOp.values());
    UnwrapExpr unwrap = null;
    if (NEEDS_UNWRAP.contains(op) || (MAY_UNWRAP.contains(op) && r.nextBoolean())) {
      unwrap = new UnwrapExpr(name(), pick(UnwrapExpr.Conversion.values()), list(0, 2, () -> labelFilter(2)));
    }
    long range = r.nextLong(1, 100_000) * 1_000_000L * (r.nextBoolean() ? 1 : 1000);
    long offset = switch (r.nextInt(3)) {
      case 0 -> 0;
      case 1 -> r.nextLong(-100_000, 100_000) * 60_000_000_000L;
      default -> r.nextLong(-10_000_000_000L, 10_000_000_000L);
    };
    Double param = op == RangeOp.QUANTILE_OVER_TIME ? number(false) : null;
    Grouping g = MAY_GROUP.contains(op) && r.nextBoolean() ? grouping() : null;
    return new RangeAggregationExpr(op, new LogRangeExpr(logQuery(), range, offset, unwrap), param, g);
  }
}
