package io.lodge.querier.logql.ast;

/** A stage that extracts labels from the line: json, logfmt, regexp, pattern, unpack (§3.5). */
public sealed interface ParserStage extends Stage
    permits JsonParserStage, LogfmtParserStage, RegexpParserStage, PatternParserStage, UnpackStage {}
