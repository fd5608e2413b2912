package io.lodge.querier.logql.ast;

/**
 * {@code left op [bool] [on|ignoring (..) [group_left|group_right (..)]] right} (§3.13); printed in
 * parentheses so precedence is explicit. {@code matching} is null when no on/ignoring was written.
 */
public record BinaryOpExpr(
    BinaryOp op, SampleExpr left, SampleExpr right, boolean returnBool, VectorMatching matching)
    implements SampleExpr {
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("(").append(left).append(' ').append(op.text());
    if (returnBool) sb.append(" bool");
    if (matching != null) sb.append(' ').append(matching);
    return sb.append(' ').append(right).append(')').toString();
  }
}
