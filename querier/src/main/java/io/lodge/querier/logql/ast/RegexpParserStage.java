package io.lodge.querier.logql.ast;

import io.lodge.ingester.model.GoQuote;

/** {@code | regexp "(?P<name>re)"}: named groups become labels (validated when the stage is built). */
public record RegexpParserStage(String regex) implements ParserStage {
  @Override
  public String toString() {
    return "| regexp " + GoQuote.quote(regex);
  }
}
