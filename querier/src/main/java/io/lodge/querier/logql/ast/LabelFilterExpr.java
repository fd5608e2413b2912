package io.lodge.querier.logql.ast;

/**
 * A label filter tree (LOKI-COMPAT §3.6). Binary nodes always print with explicit parentheses,
 * {@code ( a , b )} for AND and {@code ( a or b )} for OR, so the grouping the parser chose is visible.
 */
public sealed interface LabelFilterExpr
    permits StringLabelFilter, NumericLabelFilter, DurationLabelFilter, BytesLabelFilter,
        IpLabelFilter, BinaryLabelFilter {}
