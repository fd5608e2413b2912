package io.lodge.querier.pipeline.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * A parameter path of {@code json l="a.b[0]["c"]"} (LOKI-COMPAT 3.5): field names separated by dots,
 * bracketed quoted field names, and bracketed array indexes. Each step is a String (field) or an
 * Integer (index).
 */
public final class JsonPath {
  private JsonPath() {}

  /** Parses a path; throws {@link IllegalArgumentException} saying what was unexpected and where. */
  public static List<Object> parse(String expr) {
    List<Object> steps = new ArrayList<>();
    int i = 0;
    int n = expr.length();
    boolean expectField = true;
    while (i < n) {
      char c = expr.charAt(i);
      if (c == '[') {
        int close;
        if (i + 1 < n && expr.charAt(i + 1) == '"') {
          StringBuilder sb = new StringBuilder();
          int j = i + 2;
          while (j < n && expr.charAt(j) != '"') {
            if (expr.charAt(j) == '\\' && j + 1 < n) j++;
            sb.append(expr.charAt(j++));
          }
          if (j + 1 >= n || expr.charAt(j + 1) != ']') throw unexpected(expr, Math.min(j + 1, n));
          steps.add(sb.toString());
          close = j + 1;
        } else {
          int j = i + 1;
          while (j < n && Character.isDigit(expr.charAt(j))) j++;
          if (j == i + 1 || j >= n || expr.charAt(j) != ']') throw unexpected(expr, j);
          steps.add(Integer.parseInt(expr.substring(i + 1, j)));
          close = j;
        }
        i = close + 1;
        expectField = false;
      } else if (c == '.') {
        if (steps.isEmpty() || i + 1 >= n) throw unexpected(expr, i);
        i++;
        expectField = true;
      } else {
        if (!expectField) throw unexpected(expr, i);
        int j = i;
        while (j < n && expr.charAt(j) != '.' && expr.charAt(j) != '[') {
          char f = expr.charAt(j);
          if (f == '"' || f == ']' || Character.isWhitespace(f)) throw unexpected(expr, j);
          j++;
        }
        steps.add(expr.substring(i, j));
        i = j;
        expectField = false;
      }
    }
    if (steps.isEmpty()) throw new IllegalArgumentException("empty expression");
    return steps;
  }

  private static IllegalArgumentException unexpected(String expr, int at) {
    return new IllegalArgumentException(at >= expr.length() ? "unexpected end of expression"
        : "unexpected char " + expr.charAt(at));
  }
}
