package io.lodge.querier.logql;

import io.lodge.querier.logql.ast.Expr;
import io.lodge.querier.logql.ast.LogQuery;
import io.lodge.querier.logql.ast.StreamSelector;

/**
 * The LogQL parser's public entry points. Every failure is a {@link ParseException} carrying Loki's
 * exact message (LOKI-COMPAT §2.1, §4.2); the parser is stateless and thread-safe.
 */
public final class LogqlParser {
  private LogqlParser() {}

  /** Parses a query and applies the selector rule of §3.3 to every selector. */
  public static Expr parse(String query) {
    return parse(query, true);
  }

  /** Parses a query; {@code validateSelectors} false skips the §3.3 rule. */
  public static Expr parse(String query, boolean validateSelectors) {
    return new ExprParser(new TokenStream(query)).query(validateSelectors);
  }

  /**
   * Parses a {@code {...}}-only input (labels/series/index endpoints) without the §3.3 rule (apply
   * {@link SelectorRule#check(StreamSelector)} where the endpoint needs it). Any other valid query
   * gives {@code only label matchers are supported} (a bare message, no {@code parse error} prefix).
   */
  public static StreamSelector parseSelector(String selector) {
    Expr e = parse(selector, false);
    if (e instanceof LogQuery q && q.stages().isEmpty()) return q.selector();
    throw ParseException.bare("only label matchers are supported");
  }
}
