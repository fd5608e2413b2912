package io.lodge.server.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A path like {@code /loki/api/v1/label/{name}/values}: literal segments match exactly, a
 * {@code {name}} segment matches any one non-empty segment and binds it. The template text is the
 * route's name in metrics, so raw paths (with their unbounded values) never become label values.
 */
public final class PathTemplate {
  private final String text;
  private final String[] segments; // literal text, or null for a variable
  private final String[] names; // variable name at a variable position, else null

  private PathTemplate(String text, String[] segments, String[] names) {
    this.text = text;
    this.segments = segments;
    this.names = names;
  }

  /** Parses a template; it must start with {@code /}. */
  public static PathTemplate parse(String template) {
    if (!template.startsWith("/")) {
      throw new IllegalArgumentException("path template must start with '/': " + template);
    }
    String[] parts = split(template);
    String[] segments = new String[parts.length];
    String[] names = new String[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (p.length() >= 2 && p.charAt(0) == '{' && p.charAt(p.length() - 1) == '}') {
        names[i] = p.substring(1, p.length() - 1);
        if (names[i].isEmpty()) throw new IllegalArgumentException("empty variable in " + template);
      } else if (p.indexOf('{') >= 0 || p.indexOf('}') >= 0) {
        throw new IllegalArgumentException("a variable must be a whole segment: " + template);
      } else {
        segments[i] = p;
      }
    }
    return new PathTemplate(template, segments, names);
  }

  /** True when the template has no variables. */
  public boolean isLiteral() {
    for (String n : names) if (n != null) return false;
    return true;
  }

  /** The bound variables when {@code path} matches, else null; an empty map for a literal match. */
  public Map<String, String> match(String path) {
    String[] parts = split(path);
    if (parts.length != segments.length) return null;
    Map<String, String> vars = null;
    for (int i = 0; i < parts.length; i++) {
      if (names[i] != null) {
        if (parts[i].isEmpty()) return null;
        if (vars == null) vars = new HashMap<>(4);
        vars.put(names[i], parts[i]);
      } else if (!segments[i].equals(parts[i])) {
        return null;
      }
    }
    return vars == null ? Map.of() : vars;
  }

  // "/a/b/" -> ["a", "b", ""]; "/" -> [""]: a trailing slash is a different path, as in Go's mux.
  private static String[] split(String path) {
    List<String> out = new ArrayList<>(8);
    int start = 1;
    while (true) {
      int slash = path.indexOf('/', start);
      if (slash < 0) {
        out.add(path.substring(start));
        return out.toArray(new String[0]);
      }
      out.add(path.substring(start, slash));
      start = slash + 1;
    }
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathTemplate t && t.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
