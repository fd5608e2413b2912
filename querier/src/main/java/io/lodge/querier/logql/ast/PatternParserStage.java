package io.lodge.querier.logql.ast;

import io.lodge.ingester.model.GoQuote;

/** {@code | pattern "<ip> - <_> <status>"}: captures become labels (validated when built). */
public record PatternParserStage(String pattern) implements ParserStage {
  @Override
  public String toString() {
    return "| pattern " + GoQuote.quote(pattern);
  }
}
