package io.lodge.querier.logql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.ingester.index.LabelMatcher;
import io.lodge.querier.logql.ast.BinaryLabelFilter;
import io.lodge.querier.logql.ast.BytesLabelFilter;
import io.lodge.querier.logql.ast.DurationLabelFilter;
import io.lodge.querier.logql.ast.LabelFilterStage;
import io.lodge.querier.logql.ast.LineFilterExpr;
import io.lodge.querier.logql.ast.LogQuery;
import io.lodge.querier.logql.ast.RangeAggregationExpr;
import io.lodge.querier.logql.ast.StreamSelector;
import io.lodge.querier.logql.ast.UnwrapExpr;
import io.lodge.querier.logql.ast.VectorAggregationExpr;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The public entry points and the shape of the trees they build. */
class LogqlParserTest {

  @Test
  void parseSelectorSkipsTheEmptyMatcherRuleAndRefusesPipelines() {
    StreamSelector s = LogqlParser.parseSelector("{foo!=\"bar\"}");
    assertThat(s.matchers()).containsExactly(LabelMatcher.of(LabelMatcher.Type.NEQ, "foo", "bar"));
    assertThatThrownBy(() -> SelectorRule.check(s)).hasMessageStartingWith(
        "parse error : queries require at least one regexp or equality matcher");
    assertThatThrownBy(() -> LogqlParser.parseSelector("{a=\"b\"} |= \"x\""))
        .hasMessage("only label matchers are supported");
    assertThat(LogqlParser.parseSelector("{}").matchers()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', textBlock = """
      {app!=""}             ; true
      {app!~""}             ; true
      {app="baz", foo!="bar"} ; true
      {app=~".+"}           ; true
      {app=~"a|"}           ; false
      {app=""}              ; false
      {app!~"x"}            ; false
      """)
  void selectorRule(String query, boolean ok) {
    if (ok) assertThat(LogqlParser.parse(query)).isInstanceOf(LogQuery.class);
    else assertThatThrownBy(() -> LogqlParser.parse(query)).isInstanceOf(ParseException.class);
    assertThat(LogqlParser.parse(query, false)).isInstanceOf(LogQuery.class);
  }

  @Test
  void rangeFormsNormaliseToOneTree() {
    String[] forms = {
      "count_over_time({a=\"b\"} |= \"x\" [5m] offset 1h)",
      "count_over_time({a=\"b\"}[5m] offset 1h |= \"x\")",
      "count_over_time(({a=\"b\"} |= \"x\")[5m] offset 1h)",
      "count_over_time((({a=\"b\"} |= \"x\")[5m] offset 1h))",
    };
    var first = LogqlParser.parse(forms[0]);
    for (String f : forms) assertThat(LogqlParser.parse(f)).as(f).isEqualTo(first);
    var r = ((RangeAggregationExpr) first).range();
    assertThat(r.rangeNanos()).isEqualTo(300_000_000_000L);
    assertThat(r.offsetNanos()).isEqualTo(3_600_000_000_000L);
    assertThat(r.log().stages()).containsExactly(
        new LineFilterExpr(LineFilterExpr.Op.CONTAINS, List.of(new LineFilterExpr.Value("x", false))));
  }

  @Test
  void unwrapForms() {
    var a = (RangeAggregationExpr) LogqlParser.parse(
        "avg_over_time(({a=\"b\"})[1m] | unwrap duration_seconds(took) | took > 1s)");
    UnwrapExpr u = a.range().unwrap();
    assertThat(u.label()).isEqualTo("took");
    assertThat(u.conversion()).isEqualTo(UnwrapExpr.Conversion.DURATION_SECONDS);
    assertThat(u.postFilters()).containsExactly(
        new DurationLabelFilter("took", io.lodge.querier.logql.ast.ComparisonOp.GT, 1_000_000_000L));
    assertThatThrownBy(() -> LogqlParser.parse("{a=\"b\"} | unwrap x"))
        .hasMessage("parse error at line 1, col 11: syntax error: unexpected unwrap");
    assertThatThrownBy(() -> LogqlParser.parse("sum_over_time({a=\"b\"} | unwrap x | json [1m])"))
        .hasMessage("parse error at line 1, col 36: syntax error: unexpected json");
  }

  @Test
  void vectorGroupingBeforeOrAfterButNotBoth() {
    assertThat(LogqlParser.parse("sum by (a) (rate({a=\"b\"}[1m]))"))
        .isEqualTo(LogqlParser.parse("sum(rate({a=\"b\"}[1m])) by (a)"));
    var v = (VectorAggregationExpr) LogqlParser.parse("topk(5, rate({a=\"b\"}[1m]))");
    assertThat(v.param()).isEqualTo(5);
    assertThatThrownBy(() -> LogqlParser.parse("sum by (a) (rate({a=\"b\"}[1m])) by (b)"))
        .hasMessage("parse error at line 1, col 32: syntax error: unexpected by");
    assertThatThrownBy(() -> LogqlParser.parse("bottomk(1.2, rate({a=\"b\"}[1m]))"))
        .hasMessage("parse error : invalid parameter bottomk(1.2,");
  }

  @Test
  void bytesAndKeywordsAsLabels() {
    var q = (LogQuery) LogqlParser.parse("{a=\"b\"} | size >= 2.5KiB | ip=\"x\", count > 1");
    assertThat(((LabelFilterStage) q.stages().get(0)).filter())
        .isEqualTo(new BytesLabelFilter("size", io.lodge.querier.logql.ast.ComparisonOp.GTE, 2560));
    assertThat(((LabelFilterStage) q.stages().get(1)).filter()).isInstanceOf(BinaryLabelFilter.class);
    for (String kw : List.of("by", "offset", "json", "unwrap", "and")) {
      assertThatThrownBy(() -> LogqlParser.parse("{a=\"b\"} | " + kw + "=\"y\""))
          .as(kw).hasMessageContaining("syntax error: unexpected");
    }
  }

  @Test
  void regexErrorsUseRe2Messages() {
    assertThatThrownBy(() -> LogqlParser.parse("{app=~\"(\"}"))
        .hasMessage("parse error : error parsing regexp: missing closing ): `(`");
  }

  @Test
  void deepNestingIsA400NotAStackOverflow() {
    String deep = "(".repeat(5000) + "1" + ")".repeat(5000);
    assertThatThrownBy(() -> LogqlParser.parse(deep))
        .isInstanceOf(ParseException.class).hasMessageContaining("nested deeper than");
    String filters = "{a=\"b\"} | " + "x=\"1\", ".repeat(5000) + "y=\"2\"";
    assertThatThrownBy(() -> LogqlParser.parse(filters)).isInstanceOf(ParseException.class);
    String ok = "(".repeat(200) + "1" + ")".repeat(200);
    assertThat(LogqlParser.parse(ok).toString()).isEqualTo("1");
  }

  @Test
  void printedFormsStayReadableToTheLexer() {
    // "-30d" is not a duration to Loki's lexer (Prometheus units are unsigned, Go has no d)
    var r = (RangeAggregationExpr) LogqlParser.parse("rate({a=\"b\"}[1m] offset -720h)");
    assertThat(r.toString()).isEqualTo("rate({a=\"b\"}[1m] offset -720h0m0s)");
    assertThat(LogqlParser.parse(r.toString())).isEqualTo(r);
    // "-0" lexes as a zero duration, so a negative zero is printed (and kept) as 0
    assertThat(new io.lodge.querier.logql.ast.NumericLabelFilter(
        "x", io.lodge.querier.logql.ast.ComparisonOp.EQ, -0.0).toString()).isEqualTo("x==0");
    assertThat(LogqlParser.parse("{a=\"b\"} | x == -0").toString()).isEqualTo("{a=\"b\"} | x==0s");
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', textBlock = """
      {a="b"} != "x" or "y"             ; {a="b"} != "x" != "y"
      {a="b"} !~ "x" or ip("1.2.3.4")   ; {a="b"} !~ "x" !~ ip("1.2.3.4")
      {a="b"} |= "x" or "y"             ; {a="b"} |= "x" or "y"
      {a="b"} | json a, b="c"           ; {a="b"} | json a="a",b="c"
      {a="b"} | logfmt --keep-empty a   ; {a="b"} | logfmt --keep-empty a="a"
      sum(rate({a="b"}[1m])) > 1000000  ; (sum(rate({a="b"}[1m])) > 1e+06)
      vector(1)                         ; vector(1.000000)
      rate({a="b"}[1m] offset 1d)       ; rate({a="b"}[1m] offset 24h0m0s)
      """)
  void canonicalForms(String query, String printed) {
    assertThat(LogqlParser.parse(query).toString()).isEqualTo(printed);
  }
}
