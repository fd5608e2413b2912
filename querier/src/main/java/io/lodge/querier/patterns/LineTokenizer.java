package io.lodge.querier.patterns;

import java.util.Arrays;

/**
 * Splits a log line into tokens for pattern mining: runs of non-space characters, with brackets,
 * quotes, {@code =}, {@code ,}, {@code ;} and {@code |} as tokens of their own, so that
 * {@code sshd[24200]:} mines to {@code sshd[<_>]:}. Each token remembers the whitespace before it
 * (space, tab, CR, LF, VT, FF), which lets a template be printed back with the line's own spacing.
 */
public final class LineTokenizer {
  /** Lines longer than this many tokens keep the rest as one last token (bounds the work per line). */
  public static final int MAX_TOKENS = 120;

  private static final boolean[] SPLIT = new boolean[128];

  static {
    for (char c : "[](){}<>,;\"'=|".toCharArray()) SPLIT[c] = true;
  }

  /**
   * A tokenized line: {@code tokens[i]}, whether whitespace came before it, and that whitespace
   * ({@code separators[0]} is always empty: leading and trailing whitespace is not part of a pattern).
   */
  public record Tokens(String[] tokens, boolean[] spaceBefore, String[] separators) {
    public int size() {
      return tokens.length;
    }
  }

  private LineTokenizer() {}

  public static Tokens tokenize(String line) {
    String[] tokens = new String[16];
    boolean[] space = new boolean[16];
    String[] seps = new String[16];
    int n = 0;
    int i = 0;
    int len = line.length();
    int spaceStart = -1;
    while (i < len) {
      char c = line.charAt(i);
      if (isSpace(c)) {
        if (spaceStart < 0) spaceStart = i;
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
          if (isSpace(d) || (d < 128 && SPLIT[d])) break;
          i++;
        }
      }
      if (n == tokens.length) {
        tokens = Arrays.copyOf(tokens, n * 2);
        space = Arrays.copyOf(space, n * 2);
        seps = Arrays.copyOf(seps, n * 2);
      }
      String tok = line.substring(start, i);
      int trimmed = tok.length();
      while (trimmed > 0 && isSpace(tok.charAt(trimmed - 1))) trimmed--;
      tokens[n] = tok.substring(0, trimmed);
      space[n] = spaceStart >= 0 && n > 0;
      seps[n] = space[n] ? line.substring(spaceStart, start) : "";
      n++;
      spaceStart = -1;
    }
    return new Tokens(Arrays.copyOf(tokens, n), Arrays.copyOf(space, n), Arrays.copyOf(seps, n));
  }

  /** The whitespace that separates tokens: what regular expressions call {@code \s}. */
  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000B' || c == '\f';
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
