package io.lodge.querier.pipeline.filter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Literals a regex's matches must contain, read from the regex text: for each top-level alternative
 * the longest run of plain characters outside any group or class whose last character is not made
 * optional by a quantifier. Every match of the regex contains one of them, so a line holding none can
 * be refused without running the regex engine ({@link RegexFilter}): {@code fail(ed|ure)|denied|error
 * [0-9]+} gives {@code fail}, {@code denied} and {@code "error "}.
 *
 * <p>The reading is conservative: any construct it does not follow makes it give up (null), never
 * guess. Case-insensitive flags ({@code (?i)}, {@code (?i:...)}), a quantifier after a flag group,
 * escapes longer than two characters ({@code \x41}, {@code \pL}, {@code \Q...\E}) and a {@code {} that is
 * not a repetition give up; escaped punctuation is a literal character, two-character classes and
 * assertions ({@code \d}, {@code \b}) end a run. On a line that is not valid UTF-8 the refusal follows
 * Go's RE2, which reads each bad byte as U+FFFD; re2j decodes such bytes more loosely and might have
 * matched them.
 */
public final class RegexLiterals {
  private static final String META = "\\.+*?()|[]{}^$";
  /** Escapes that are a whole class or assertion in two characters: {@code \d}, {@code \b}, {@code \n}, ... */
  private static final String ONE_LETTER_ESCAPES = "dDsSwWbBAzftnrva";
  /** Runs shorter than this are not worth a search of their own. */
  static final int MIN_LENGTH = 2;

  private RegexLiterals() {}

  /** Whether the regex {@code re} is a plain literal: no character RE2 reads as an operator. */
  public static boolean isPlainLiteral(String re) {
    for (int i = 0; i < re.length(); i++) if (META.indexOf(re.charAt(i)) >= 0) return false;
    return true;
  }

  /**
   * One literal per top-level alternative, every match containing at least one of them; null when some
   * alternative has no run of {@link #MIN_LENGTH} characters or the regex uses what this reading gives
   * up on.
   */
  public static List<String> anyOf(String re) {
    List<String> out = new ArrayList<>();
    StringBuilder run = new StringBuilder();
    String best = "";
    int depth = 0;
    int i = 0;
    while (i < re.length()) {
      char c = re.charAt(i);
      if (c == '\\') {
        if (i + 1 >= re.length()) return null;
        char e = re.charAt(i + 1);
        if (isPunctuation(e)) {
          if (depth == 0) run.append(e);
          i = afterQuantifier(re, i + 2, run, depth);
          continue;
        }
        // A class or an assertion in two characters ends the run; longer escapes (\x41, \pL, \123,
        // \Q...\E) are not followed here.
        if (ONE_LETTER_ESCAPES.indexOf(e) < 0) return null;
        best = longer(best, run);
        run.setLength(0);
        i += 2;
        continue;
      }
      if (c == '{') {
        // A repetition (after a character, afterQuantifier has taken that character off the run already).
        int end = afterRepetition(re, i);
        if (end < 0) return null;
        best = longer(best, run);
        run.setLength(0);
        i = end;
        continue;
      }
      if (c == '[') {
        best = longer(best, run);
        run.setLength(0);
        i = afterClass(re, i);
        if (i < 0) return null;
        continue;
      }
      if (c == '(') {
        best = longer(best, run);
        run.setLength(0);
        if (i + 1 < re.length() && re.charAt(i + 1) == '?') {
          int end = i + 2;
          if (end < re.length() && (re.charAt(end) == 'P' || re.charAt(end) == '<')) {
            depth++; // a named group
            i = end;
            continue;
          }
          while (end < re.length() && re.charAt(end) != ':' && re.charAt(end) != ')') {
            if (re.charAt(end) == 'i') return null; // case folding: the literal would not match verbatim
            end++;
          }
          if (end >= re.length()) return null;
          if (re.charAt(end) == ':') {
            depth++;
          } else if (end + 1 < re.length() && "*?{".indexOf(re.charAt(end + 1)) >= 0) {
            return null; // RE2 applies a quantifier after (?flags) to the atom before them
          }
          i = end + 1;
          continue;
        }
        depth++;
        i++;
        continue;
      }
      if (c == ')') {
        if (depth == 0) return null;
        depth--;
        i++;
        continue;
      }
      if (c == '|' && depth == 0) {
        best = longer(best, run);
        if (best.length() < MIN_LENGTH) return null;
        out.add(best);
        best = "";
        run.setLength(0);
        i++;
        continue;
      }
      if (META.indexOf(c) >= 0) {
        // '.', '^', '$', '|' inside a group, or a quantifier after a group or class: the run ends here.
        best = longer(best, run);
        run.setLength(0);
        i++;
        continue;
      }
      if (depth == 0) run.append(c);
      i = afterQuantifier(re, i + 1, run, depth);
    }
    if (depth != 0) return null;
    best = longer(best, run);
    if (best.length() < MIN_LENGTH) return null;
    out.add(best);
    for (String lit : out) {
      // RE2 (Go's, as Loki runs it) reads invalid UTF-8 in a line as U+FFFD, so a literal holding U+FFFD
      // may match bytes it is not; a lone surrogate has no UTF-8 bytes at all.
      if (lit.indexOf('\uFFFD') >= 0 || !StandardCharsets.UTF_8.newEncoder().canEncode(lit)) return null;
    }
    return out;
  }

  /**
   * After a literal character at {@code i - 1}: a quantifier that may leave it out ({@code *}, {@code ?}, a
   * repetition) takes it off the run; {@code +} keeps it. The main loop then ends the run at the
   * quantifier. Returns {@code i}.
   */
  private static int afterQuantifier(String re, int i, StringBuilder run, int depth) {
    if (i >= re.length()) return i;
    char q = re.charAt(i);
    if (q == '{' && afterRepetition(re, i) >= 0) dropLast(run, depth); // {0,n} may leave it out
    if (q == '*' || q == '?') dropLast(run, depth);
    return i; // the quantifier itself ends the run in the main loop
  }

  /** Takes the quantified character (a surrogate pair counts as one) off the run. */
  private static void dropLast(StringBuilder run, int depth) {
    if (depth != 0 || run.isEmpty()) return;
    int n = run.length();
    boolean pair = n >= 2 && Character.isLowSurrogate(run.charAt(n - 1)) && Character.isHighSurrogate(run.charAt(n - 2));
    run.setLength(n - (pair ? 2 : 1));
  }

  /** The index after a repetition {@code {n}}, {@code {n,}} or {@code {n,m}} starting at {@code i}, or -1. */
  private static int afterRepetition(String re, int i) {
    int j = i + 1;
    int digits = 0;
    while (j < re.length() && Character.isDigit(re.charAt(j))) {
      j++;
      digits++;
    }
    if (digits == 0) return -1;
    if (j < re.length() && re.charAt(j) == ',') {
      j++;
      while (j < re.length() && Character.isDigit(re.charAt(j))) j++;
    }
    return j < re.length() && re.charAt(j) == '}' ? j + 1 : -1;
  }

  /** The index after the class starting at {@code i} ({@code [...]}, a leading {@code ]} or {@code ^]} literal), or -1. */
  private static int afterClass(String re, int i) {
    int j = i + 1;
    if (j < re.length() && re.charAt(j) == '^') j++;
    if (j < re.length() && re.charAt(j) == ']') j++;
    while (j < re.length()) {
      char c = re.charAt(j);
      if (c == '\\') {
        j += 2;
        continue;
      }
      if (c == '[' && j + 1 < re.length() && re.charAt(j + 1) == ':') {
        int close = re.indexOf(":]", j + 2);
        if (close < 0) return -1;
        j = close + 2;
        continue;
      }
      if (c == ']') return j + 1;
      j++;
    }
    return -1;
  }

  private static boolean isPunctuation(char c) {
    return c < 0x80 && !Character.isLetterOrDigit(c) && c != '_';
  }

  private static String longer(String best, StringBuilder run) {
    return run.length() > best.length() ? run.toString() : best;
  }
}
