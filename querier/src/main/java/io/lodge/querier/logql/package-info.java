/**
 * The LogQL front end: a hand-written lexer and recursive-descent parser for the grammar of
 * LOKI-COMPAT §3, producing the immutable tree of {@code io.lodge.querier.logql.ast}. Entry point:
 * {@link io.lodge.querier.logql.LogqlParser}.
 */
package io.lodge.querier.logql;
