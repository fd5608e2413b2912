package io.lodge.querier.metric;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.lodge.ingester.model.LabelSet;
import io.lodge.querier.logql.ast.LabelReplaceExpr;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code label_replace(v, dst, replacement, src, regex)} with PromQL semantics (LOKI-COMPAT 3.14): the
 * anchored regex must match the source value (absent = empty); the replacement is expanded like Go's
 * {@code Regexp.Expand} ({@code $1}, {@code ${1}}, {@code $name}, {@code $$}); an empty result removes
 * {@code dst}. Series whose source does not match pass unchanged.
 */
final class LabelReplaceEvaluator implements StepEvaluator {
  private final StepEvaluator inner;
  private final LabelReplaceExpr expr;
  private final Pattern pattern;

  LabelReplaceEvaluator(LabelReplaceExpr expr, StepEvaluator inner) {
    this.inner = inner;
    this.expr = expr;
    this.pattern = Pattern.compile("^(?:" + expr.regex() + ")$");
  }

  @Override
  public List<Sample> next() {
    List<Sample> in = inner.next();
    List<Sample> out = new ArrayList<>(in.size());
    for (Sample s : in) {
      String src = s.labels().get(expr.src());
      Matcher m = pattern.matcher(src == null ? "" : src);
      if (!m.matches()) {
        out.add(s);
        continue;
      }
      String v = expand(expr.replacement(), m);
      LabelSet labels = v.isEmpty() ? s.labels().without(expr.dst()) : s.labels().with(expr.dst(), v);
      out.add(new Sample(labels, s.value()));
    }
    return out;
  }

  /** Go's {@code Regexp.Expand}: a name is the longest run of letters, digits and '_'. */
  static String expand(String template, Matcher m) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= template.length()) {
        sb.append(c);
        i++;
        continue;
      }
      char d = template.charAt(i + 1);
      if (d == '$') {
        sb.append('$');
        i += 2;
        continue;
      }
      String name;
      int end;
      if (d == '{') {
        int close = template.indexOf('}', i + 2);
        name = close < 0 ? "" : template.substring(i + 2, close);
        end = close + 1;
        if (close < 0 || name.isEmpty() || !isName(name)) {
          sb.append('$');
          i++;
          continue;
        }
      } else {
        end = i + 1;
        while (end < template.length() && isNameChar(template.charAt(end))) end++;
        name = template.substring(i + 1, end);
        if (name.isEmpty()) {
          sb.append('$');
          i++;
          continue;
        }
      }
      sb.append(group(m, name));
      i = end;
    }
    return sb.toString();
  }

  private static String group(Matcher m, String name) {
    String g;
    if (name.chars().allMatch(Character::isDigit)) {
      int n;
      try {
        n = Integer.parseInt(name);
      } catch (NumberFormatException e) {
        return "";
      }
      g = n <= m.groupCount() ? m.group(n) : null;
    } else {
      try {
        g = m.group(name);
      } catch (IllegalArgumentException e) {
        g = null; // no group of that name: Go expands it to nothing
      }
    }
    return g == null ? "" : g;
  }

  private static boolean isName(String s) {
    for (int i = 0; i < s.length(); i++) if (!isNameChar(s.charAt(i))) return false;
    return true;
  }

  private static boolean isNameChar(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  @Override
  public void close() {
    inner.close();
  }
}
