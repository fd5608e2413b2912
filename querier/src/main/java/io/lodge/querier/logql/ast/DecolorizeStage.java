package io.lodge.querier.logql.ast;

/** {@code | decolorize}: strips ANSI escape sequences. */
public record DecolorizeStage() implements Stage {
  @Override
  public String toString() {
    return "| decolorize";
  }
}
