package io.lodge.querier.logql.ast;

import io.lodge.ingester.model.GoQuote;

/** {@code | line_format "tmpl"}: the template text as written (compiled when the stage is built). */
public record LineFormatStage(String template) implements Stage {
  @Override
  public String toString() {
    return "| line_format " + GoQuote.quote(template);
  }
}
