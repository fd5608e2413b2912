package io.lodge.querier.logql.ast;

import io.lodge.ingester.model.GoQuote;

/** {@code label_replace(v, "dst", "replacement", "src", "regex")} with PromQL semantics (§3.14). */
public record LabelReplaceExpr(
    SampleExpr inner, String dst, String replacement, String src, String regex)
    implements SampleExpr {
  @Override
  public String toString() {
    return "label_replace(" + inner + "," + GoQuote.quote(dst) + "," + GoQuote.quote(replacement)
        + "," + GoQuote.quote(src) + "," + GoQuote.quote(regex) + ")";
  }
}
