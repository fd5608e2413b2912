package io.lodge.querier.logql.ast;

/** {@code | unpack}: promtail's packed JSON format. */
public record UnpackStage() implements ParserStage {
  @Override
  public String toString() {
    return "| unpack";
  }
}
