package io.lodge.querier.logql.ast;

import java.util.List;

/** {@code | logfmt [--strict] [--keep-empty] [a="key", b]}. */
public record LogfmtParserStage(boolean strict, boolean keepEmpty, List<Extraction> extractions)
    implements ParserStage {
  public LogfmtParserStage {
    extractions = List.copyOf(extractions);
  }

  @Override
  public String toString() {
    String head = "| logfmt" + (strict ? " --strict" : "") + (keepEmpty ? " --keep-empty" : "");
    return Formats.joinParams(head, extractions);
  }
}
