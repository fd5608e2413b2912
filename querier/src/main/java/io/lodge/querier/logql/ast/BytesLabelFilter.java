package io.lodge.querier.logql.ast;

/** {@code name >= 2.5KiB}: the label parsed as a humanized byte size; {@code bytes} is the literal. */
public record BytesLabelFilter(String name, ComparisonOp op, long bytes) implements LabelFilterExpr {
  @Override
  public String toString() {
    return name + op.text() + Formats.bytes(bytes);
  }
}
