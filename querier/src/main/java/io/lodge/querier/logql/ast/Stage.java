package io.lodge.querier.logql.ast;

/** One pipeline stage of a log query; {@code toString()} prints it as written after the selector. */
public sealed interface Stage
    permits LineFilterExpr, LabelFilterStage, ParserStage, LineFormatStage, LabelFormatStage,
        DropStage, KeepStage, DecolorizeStage {}
