package io.lodge.querier.template;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Go {@code regexp} operations behind {@code regexReplaceAll}, {@code regexReplaceAllLiteral}
 * and {@code count}, on re2j: Go's match iteration (an empty match right after a match is skipped)
 * and Go's {@code $1 ${1} $name} expansion, where {@code $1x} names group "1x". Loki compiles the
 * regex on every call; compiled patterns are cached here because templates nearly always pass a
 * literal.
 */
final class GoRegexp {
  private GoRegexp() {}

  private static final int CACHE_LIMIT = 256;
  private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

  /** Compiles like Go's {@code regexp.Compile}; throws with Go's error text. */
  static Pattern compile(String regex) {
    Pattern p = CACHE.get(regex);
    if (p != null) return p;
    try {
      p = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "error parsing regexp: " + e.getDescription() + ": `" + e.getPattern() + "`");
    }
    if (CACHE.size() >= CACHE_LIMIT) CACHE.clear();
    CACHE.put(regex, p);
    return p;
  }

  /** {@code len(re.FindAllStringIndex(s, -1))}. */
  static int count(String regex, String s) {
    Matcher m = compile(regex).matcher(s);
    int n = 0;
    int pos = 0;
    int prevEnd = -1;
    while (pos <= s.length() && m.find(pos)) {
      int start = m.start();
      int end = m.end();
      boolean accept = true;
      if (end == start) {
        if (start == prevEnd) accept = false;
        pos = start < s.length() ? start + Character.charCount(s.codePointAt(start)) : start + 1;
      } else {
        pos = end;
      }
      prevEnd = end;
      if (accept) n++;
    }
    return n;
  }

  /** {@code re.ReplaceAllString} ({@code literal} false) or {@code ReplaceAllLiteralString}. */
  static String replaceAll(String regex, String src, String repl, boolean literal) {
    Pattern p = compile(regex);
    Matcher m = p.matcher(src);
    StringBuilder b = new StringBuilder(src.length());
    int lastMatchEnd = 0;
    int searchPos = 0;
    while (searchPos <= src.length() && m.find(searchPos)) {
      int a0 = m.start();
      int a1 = m.end();
      b.append(src, lastMatchEnd, a0);
      if (a1 > lastMatchEnd || a0 == 0) {
        if (literal) {
          b.append(repl);
        } else {
          expand(b, repl, src, m, p);
        }
      }
      lastMatchEnd = a1;
      int width = searchPos < src.length() ? Character.charCount(src.codePointAt(searchPos)) : 0;
      if (searchPos + width > a1) {
        searchPos += width;
      } else if (searchPos + 1 > a1) {
        searchPos++;
      } else {
        searchPos = a1;
      }
    }
    b.append(src, lastMatchEnd, src.length());
    return b.toString();
  }

  private static void expand(StringBuilder b, String template, String src, Matcher m, Pattern p) {
    int i = 0;
    int n = template.length();
    while (i < n) {
      int d = template.indexOf('$', i);
      if (d < 0) break;
      b.append(template, i, d);
      i = d + 1;
      if (i < n && template.charAt(i) == '$') {
        b.append('$');
        i++;
        continue;
      }
      boolean brace = i < n && template.charAt(i) == '{';
      int k = brace ? i + 1 : i;
      int nameStart = k;
      while (k < n) {
        int c = template.codePointAt(k);
        if (!Character.isLetterOrDigit(c) && c != '_') break;
        k += Character.charCount(c);
      }
      if (k == nameStart || (brace && (k >= n || template.charAt(k) != '}'))) {
        b.append('$');
        continue;
      }
      String name = template.substring(nameStart, k);
      i = brace ? k + 1 : k;
      int num = 0;
      for (int x = 0; x < name.length(); x++) {
        char c = name.charAt(x);
        if (c < '0' || c > '9' || num >= 100_000_000) {
          num = -1;
          break;
        }
        num = num * 10 + (c - '0');
      }
      if (name.charAt(0) == '0' && name.length() > 1) num = -1;
      if (num >= 0) {
        if (num <= m.groupCount() && m.start(num) >= 0) b.append(src, m.start(num), m.end(num));
      } else {
        Integer g = p.namedGroups().get(name);
        if (g != null && m.start(g) >= 0) b.append(src, m.start(g), m.end(g));
      }
    }
    b.append(template, Math.min(i, n), n);
  }
}
