package io.lodge.querier.patterns;

import java.util.Arrays;

/**
 * Splits a log line into tokens for pattern mining: runs of non-space characters, with brackets,
 * quotes, {@code =}, {@code ,}, {@code ;} and {@code |} as tokens of their own, so that
 * {@code sshd[24200]:} mines to {@code sshd[<_>]:}. Each token remembers whether whitespace preceded it,
 * which lets a template be printed back with the line's own spacing.
 */
public final class LineTokenizer {
  /** Lines longer than this many tokens keep the rest as one last token (bounds the work per line). */
  public static final int MAX_TOKENS = 120;

  private static final boolean[] SPLIT = new boolean[128];

  static {
    for (char c : "[](){}<>,;\"'=|".toCharArray()) SPLIT[c] = true;
  }

  /** A tokenized line: {@code tokens[i]} and whether a space came before it. */
  public record Tokens(String[] tokens, boolean[] spaceBefore) {
    public int size() {
      return tokens.length;
    }
  }

  private LineTokenizer() {}

  public static Tokens tokenize(String line) {
    String[] tokens = new String[16];
    boolean[] space = new boolean[16];
    int n = 0;
    int i = 0;
    int len = line.length();
    boolean sawSpace = false;
    while (i < len) {
      char c = line.charAt(i);
      if (Character.isWhitespace(c)) {
        sawSpace = true;
        i++;
        continue;
      }
      int start = i;
      if (n == MAX_TOKENS - 1) {
        i = len; // the rest of a very long line is one token
      } else if (c < 128 && SPLIT[c]) {
        i++;
      } else {
        while (i < len) {
          char d = line.charAt(i);
          if (Character.isWhitespace(d) || (d < 128 && SPLIT[d])) break;
          i++;
        }
      }
      if (n == tokens.length) {
        tokens = Arrays.copyOf(tokens, n * 2);
        space = Arrays.copyOf(space, n * 2);
      }
      tokens[n] = line.substring(start, i).stripTrailing();
      space[n] = sawSpace && n > 0;
      n++;
      sawSpace = false;
    }
    return new Tokens(Arrays.copyOf(tokens, n), Arrays.copyOf(space, n));
  }

  /** True for a one-character token that the tokenizer splits out on its own (brackets, quotes, ...). */
  static boolean isPunctuation(String token) {
    return token.length() == 1 && token.charAt(0) < 128 && SPLIT[token.charAt(0)];
  }

  /** True when the token holds a digit: such tokens are likely variables (ids, times, numbers). */
  static boolean hasDigit(String token) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c >= '0' && c <= '9') return true;
    }
    return false;
  }
}
