package io.lodge.querier.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a LogQL pattern ({@code <ip> - <_> "<method> <path>"}) into literals and captures, shared by
 * the {@code pattern} parser and the {@code |>} filter (LOKI-COMPAT 3.4, 3.5). A capture is
 * {@code <} identifier {@code >}; everything else, other {@code <} included, is literal.
 */
public final class PatternTokens {
  /** One piece: literal bytes, or a capture ({@code name} null for {@code <_>}). */
  public record Token(byte[] literal, String name, boolean capture) {}

  private PatternTokens() {}

  public static List<Token> split(String pattern) {
    List<Token> out = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      int end = captureEnd(pattern, i);
      if (end < 0) {
        lit.append(pattern.charAt(i++));
        continue;
      }
      if (!lit.isEmpty()) {
        out.add(new Token(lit.toString().getBytes(StandardCharsets.UTF_8), null, false));
        lit.setLength(0);
      }
      String name = pattern.substring(i + 1, end - 1);
      out.add(new Token(null, name.equals("_") ? null : name, true));
      i = end;
    }
    if (!lit.isEmpty()) out.add(new Token(lit.toString().getBytes(StandardCharsets.UTF_8), null, false));
    return out;
  }

  private static int captureEnd(String p, int i) {
    if (p.charAt(i) != '<' || i + 2 >= p.length()) return -1;
    int j = i + 1;
    if (!isIdentStart(p.charAt(j))) return -1;
    while (j < p.length() && isIdentPart(p.charAt(j))) j++;
    return j < p.length() && p.charAt(j) == '>' ? j + 1 : -1;
  }

  private static boolean isIdentStart(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isIdentPart(char c) {
    return isIdentStart(c) || (c >= '0' && c <= '9');
  }
}
