package io.lodge.querier.logql.ast;

/** A query that returns samples (instant vectors or a scalar). */
public sealed interface SampleExpr extends Expr
    permits RangeAggregationExpr, VectorAggregationExpr, BinaryOpExpr, LiteralExpr, VectorExpr,
        LabelReplaceExpr {}
