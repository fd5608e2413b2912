package io.lodge.querier.logql.ast;

/** {@code vector(n)}: one series without labels, value n at every step. */
public record VectorExpr(double value) implements SampleExpr {
  @Override
  public String toString() {
    // Loki prints %f (six decimals); keep the exact value when %f would round it.
    String f = String.format(java.util.Locale.ROOT, "%f", value);
    return "vector(" + (Double.parseDouble(f) == value ? f : Formats.goFloat(value)) + ")";
  }
}
