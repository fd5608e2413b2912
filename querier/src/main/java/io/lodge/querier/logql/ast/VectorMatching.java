package io.lodge.querier.logql.ast;

import java.util.List;

/**
 * {@code on (a)} / {@code ignoring (a)} with an optional {@code group_left (b)} /
 * {@code group_right (b)}; {@code include} is empty when the group clause has no label list.
 */
public record VectorMatching(boolean on, List<String> labels, Card card, List<String> include) {
  /** The matching cardinality. */
  public enum Card { ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY }

  public VectorMatching {
    labels = List.copyOf(labels);
    include = List.copyOf(include);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(on ? "on (" : "ignoring (");
    sb.append(Formats.joinLabels(labels)).append(')');
    if (card != Card.ONE_TO_ONE) {
      sb.append(card == Card.MANY_TO_ONE ? " group_left" : " group_right");
      // always with its list: a bare group_left before a parenthesised operand would read it as one
      sb.append(" (").append(Formats.joinLabels(include)).append(')');
    }
    return sb.toString();
  }
}
