package io.lodge.querier.logql.ast;

import io.lodge.ingester.model.GoQuote;
import java.util.List;

/**
 * A line filter {@code |= "a" or "b"} (LOKI-COMPAT §3.4): one operator and one or more alternatives
 * joined by {@code or}; every alternative inherits the operator.
 */
public record LineFilterExpr(Op op, List<Value> values) implements Stage {
  /** The six line-filter operators. */
  public enum Op {
    CONTAINS("|="), NOT_CONTAINS("!="), MATCH("|~"), NOT_MATCH("!~"), PATTERN("|>"),
    NOT_PATTERN("!>");

    private final String text;

    Op(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }

    /** Whether the operator keeps lines that do NOT match. */
    public boolean negated() {
      return this == NOT_CONTAINS || this == NOT_MATCH || this == NOT_PATTERN;
    }
  }

  /** One alternative: a literal/regex/pattern string, or {@code ip("...")} when {@code ip} is set. */
  public record Value(String text, boolean ip) {
    @Override
    public String toString() {
      return ip ? "ip(" + GoQuote.quote(text) + ")" : GoQuote.quote(text);
    }
  }

  public LineFilterExpr {
    values = List.copyOf(values);
    if (values.isEmpty()) throw new IllegalArgumentException("a line filter needs a value");
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(op.text).append(' ').append(values.get(0));
    for (int i = 1; i < values.size(); i++) sb.append(" or ").append(values.get(i));
    return sb.toString();
  }
}
