package io.lodge.querier.logql.ast;

/** A whole LogQL query: either a log query (streams of lines) or a metric query (samples). */
public sealed interface Expr permits LogExpr, SampleExpr {}
