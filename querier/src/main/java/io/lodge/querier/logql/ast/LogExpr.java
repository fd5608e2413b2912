package io.lodge.querier.logql.ast;

/** A query that returns log lines: a stream selector and its pipeline. */
public sealed interface LogExpr extends Expr permits LogQuery {}
