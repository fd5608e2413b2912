package io.lodge.config;

import java.util.Map;
import java.util.function.Function;

/**
 * Loki's {@code -config.expand-env=true}: replaces environment references in the raw config text before
 * the YAML is parsed. Supported forms: {@code ${VAR}} (unset becomes the empty string, as in Loki),
 * {@code ${VAR:-default}} (default when unset or empty), {@code ${VAR-default}} (default when unset) and
 * {@code ${VAR:?message}} (fail when unset or empty). A lone {@code $} and {@code $VAR} without braces are
 * left alone, so regexes in the file survive.
 */
public final class EnvExpander {
  private final Function<String, String> env;

  /** Expands from the given lookup (null = unset). */
  public EnvExpander(Function<String, String> env) {
    this.env = env;
  }

  /** Expands from a fixed map, for tests and for callers that snapshot the environment. */
  public static EnvExpander of(Map<String, String> env) {
    return new EnvExpander(env::get);
  }

  /**
   * Returns {@code text} with every reference replaced.
   *
   * @param source file name for error messages
   * @throws ConfigException for an unterminated or malformed reference, or a {@code :?} on an unset variable
   */
  public String expand(String text, String source) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '$' || i + 1 >= text.length() || text.charAt(i + 1) != '{') {
        out.append(c);
        i++;
        continue;
      }
      int close = text.indexOf('}', i + 2);
      int newline = text.indexOf('\n', i + 2);
      if (close < 0 || (newline >= 0 && newline < close)) {
        throw new ConfigException(where(text, i, source) + ": unterminated environment reference '"
            + text.substring(i, newline >= 0 ? newline : text.length()) + "'");
      }
      out.append(resolve(text.substring(i + 2, close), text, i, source));
      i = close + 1;
    }
    return out.toString();
  }

  private String resolve(String body, String text, int at, String source) {
    int nameEnd = 0;
    while (nameEnd < body.length() && (Character.isLetterOrDigit(body.charAt(nameEnd)) || body.charAt(nameEnd) == '_')) {
      nameEnd++;
    }
    String name = body.substring(0, nameEnd);
    if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
      throw new ConfigException(where(text, at, source) + ": bad environment variable name in '${" + body + "}'");
    }
    String value = env.apply(name);
    String op = body.substring(nameEnd);
    if (op.isEmpty()) return value == null ? "" : value;
    if (op.startsWith(":-")) return value == null || value.isEmpty() ? op.substring(2) : value;
    if (op.startsWith("-")) return value == null ? op.substring(1) : value;
    if (op.startsWith(":?")) {
      if (value == null || value.isEmpty()) {
        String message = op.substring(2);
        throw new ConfigException(where(text, at, source) + ": environment variable " + name + " is not set"
            + (message.isEmpty() ? "" : ": " + message));
      }
      return value;
    }
    throw new ConfigException(where(text, at, source) + ": unsupported environment reference '${" + body
        + "}' (expected ${VAR}, ${VAR:-default}, ${VAR-default} or ${VAR:?message})");
  }

  private static String where(String text, int offset, String source) {
    int line = 1;
    for (int i = 0; i < offset; i++) if (text.charAt(i) == '\n') line++;
    return "config file " + source + " line " + line;
  }
}
