package io.lodge.querier.logql.ast;

import java.util.List;

/**
 * {@code | unwrap [conv(]label[)]} and the label filters written after it (§3.11); always the last
 * part of a range's pipeline.
 */
public record UnwrapExpr(String label, Conversion conversion, List<LabelFilterExpr> postFilters) {
  /** How the label value becomes a number. */
  public enum Conversion {
    NONE(""), BYTES("bytes"), DURATION("duration"), DURATION_SECONDS("duration_seconds");

    private final String fn;

    Conversion(String fn) {
      this.fn = fn;
    }

    public String function() {
      return fn;
    }
  }

  public UnwrapExpr {
    postFilters = List.copyOf(postFilters);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("| unwrap ");
    if (conversion == Conversion.NONE) sb.append(label);
    else sb.append(conversion.fn).append('(').append(label).append(')');
    for (LabelFilterExpr f : postFilters) sb.append(" | ").append(f);
    return sb.toString();
  }
}
