package io.lodge.querier.logql.ast;

import java.util.List;

/** {@code | json} or {@code | json a="path", b}: all leaves, or only the listed paths. */
public record JsonParserStage(List<Extraction> extractions) implements ParserStage {
  public JsonParserStage {
    extractions = List.copyOf(extractions);
  }

  @Override
  public String toString() {
    return Formats.joinParams("| json", extractions);
  }
}
