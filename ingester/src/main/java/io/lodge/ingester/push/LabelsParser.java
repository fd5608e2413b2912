package io.lodge.ingester.push;

import io.lodge.ingester.model.GoQuote;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses a push stream's {@code labels} string like Loki's {@code syntax.ParseLabels} (Prometheus'
 * {@code ParseMetric}, LOKI-COMPAT 1.5.3): {@code [metric_name] { name = "value" , ... [,] }} with free
 * whitespace and {@code #} line comments, values quoted with {@code "..."} or {@code '...'} (Go escapes)
 * or {@code `...`} (raw), names {@code [a-zA-Z_][a-zA-Z0-9_]*}, a leading metric name becoming
 * {@code __name__}. The result is sorted by name (stable, so duplicate names stay for validation to
 * report) and every name that has an empty value is dropped, as Prometheus' label builder does.
 *
 * <p>Errors carry Prometheus' wording and a {@code line:column} position counted in bytes.
 */
public final class LabelsParser {
  /** Keywords that Prometheus lexes as something other than a metric name at the start of a series. */
  private static final Map<String, String> NOT_METRIC_NAMES = Map.of(
      "bool", "<bool>", "on", "<on>", "ignoring", "<ignoring>", "group_left", "<group_left>",
      "group_right", "<group_right>", "atan2", "<op:atan2>", "inf", "number", "nan", "number");

  private final String s;
  private final int n;
  private int i;

  private LabelsParser(String s) {
    this.s = s;
    this.n = s.length();
  }

  /**
   * Parses a label string.
   *
   * @throws LabelsParseException with Loki's {@code couldn't parse labels: ...} message
   */
  public static LabelSet parse(String text) {
    return new LabelsParser(text).parseSeries();
  }

  /**
   * Labels from a JSON v1 {@code stream} object, given as name/value pairs in document order: a repeated
   * name keeps its last value, the result is sorted and empty values are dropped. Names must be valid
   * label names; otherwise the error is the one Loki reports for the label string it renders from the
   * object ({@code {a="x", b="y"}}, names sorted, values Go-quoted).
   */
  public static LabelSet fromPairs(List<Label> pairs) {
    Map<String, String> last = new HashMap<>(pairs.size() * 2);
    boolean plainNames = true;
    for (Label l : pairs) {
      last.put(l.name(), l.value());
      plainNames &= isLabelName(l.name()) && !hasReplacementChar(l.value());
    }
    // Loki renders the object to a label string and parses it: odd names and U+FFFD in values (which
    // Prometheus' lexer refuses as "invalid UTF-8 rune") take that exact path.
    if (!plainNames) return parse(render(last));
    List<Label> kept = new ArrayList<>(last.size());
    last.forEach((k, v) -> {
      if (!v.isEmpty()) kept.add(new Label(k, v));
    });
    return LabelSet.of(kept);
  }

  /** True for {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
  public static boolean isLabelName(String name) {
    if (name.isEmpty() || !isAlpha(name.charAt(0))) return false;
    for (int k = 1; k < name.length(); k++) if (!isAlnum(name.charAt(k))) return false;
    return true;
  }

  /** U+FFFD or an unpaired surrogate (which Go's JSON decoder turns into U+FFFD). */
  private static boolean hasReplacementChar(String v) {
    for (int k = 0; k < v.length(); k++) {
      char c = v.charAt(k);
      if (c == '\uFFFD' || Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && k + 1 < v.length() && Character.isLowSurrogate(v.charAt(k + 1))) {
          k++;
          continue;
        }
        return true;
      }
    }
    return false;
  }

  private static String render(Map<String, String> labels) {
    StringBuilder sb = new StringBuilder("{");
    labels.keySet().stream().sorted().forEach(k -> {
      if (sb.length() > 1) sb.append(", ");
      sb.append(k).append('=');
      // Go's JSON decoder has already replaced unpaired surrogates; Go's quoting prints U+FFFD as is.
      StringBuilder v = new StringBuilder();
      labels.get(k).codePoints().forEach(cp -> v.appendCodePoint(cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp));
      GoQuote.appendQuoted(sb, v.toString());
    });
    return sb.append('}').toString();
  }

  private LabelSet parseSeries() {
    skipSpace();
    if (i == n) return LabelSet.EMPTY;
    String metric = null;
    char c = s.charAt(i);
    if (isAlpha(c) || c == ':') {
      int start = i;
      while (i < n && (isAlnum(s.charAt(i)) || s.charAt(i) == ':')) i++;
      metric = s.substring(start, i);
      String kind = NOT_METRIC_NAMES.get(metric.toLowerCase(Locale.ROOT));
      if (kind != null) {
        throw error(start, "unexpected " + (kind.equals("number") ? "number " + GoQuote.quote(metric) : kind));
      }
      skipSpace();
      if (i == n) return finish(new ArrayList<>(1), metric);
      c = s.charAt(i);
    }
    if (c != '{') throw error(i, "unexpected character: " + quoteRune(s.codePointAt(i)));
    i++;
    List<Label> labels = new ArrayList<>(8);
    while (true) {
      skipSpace();
      if (i == n) throw eofInsideBraces();
      c = s.charAt(i);
      if (c == '}') {
        i++;
        break;
      }
      if (!isAlpha(c)) throw unexpectedInBraces("identifier or \"}\"");
      int nameStart = i;
      while (i < n && isAlnum(s.charAt(i))) i++;
      String name = s.substring(nameStart, i);
      skipSpace();
      if (i == n) throw eofInsideBraces();
      if (s.charAt(i) != '=' || (i + 1 < n && s.charAt(i + 1) == '~')) throw unexpectedInBraces("\"=\"");
      i++;
      skipSpace();
      if (i == n) throw eofInsideBraces();
      c = s.charAt(i);
      if (c != '"' && c != '\'' && c != '`') throw unexpectedInBraces("string");
      labels.add(new Label(name, readString()));
      skipSpace();
      if (i == n) throw eofInsideBraces();
      c = s.charAt(i);
      if (c == ',') {
        i++;
      } else if (c == '}') {
        i++;
        break;
      } else {
        throw unexpectedInBraces("\",\" or \"}\"");
      }
    }
    skipSpace();
    if (i != n) throw error(i, "unexpected " + describeTopLevel());
    return finish(labels, metric);
  }

  /** Applies the metric name, drops every name that has an empty value, sorts. */
  private static LabelSet finish(List<Label> labels, String metric) {
    if (metric != null) {
      labels.removeIf(l -> l.name().equals("__name__"));
      labels.add(new Label("__name__", metric));
    }
    Set<String> emptyNames = null;
    for (Label l : labels) {
      if (l.value().isEmpty()) {
        if (emptyNames == null) emptyNames = new java.util.HashSet<>();
        emptyNames.add(l.name());
      }
    }
    if (emptyNames != null) {
      Set<String> drop = emptyNames;
      labels.removeIf(l -> drop.contains(l.name()));
    }
    return labels.isEmpty() ? LabelSet.EMPTY : LabelSet.of(labels);
  }

  // ---- strings ----------------------------------------------------------------------------------

  /** Reads a quoted value at {@code i} (on the opening quote) and returns it unquoted. */
  private String readString() {
    int start = i;
    char quote = s.charAt(i++);
    int from = i;
    // Fast path: no escapes, no newline, no replacement character.
    while (i < n) {
      char c = s.charAt(i);
      if (c == quote) return s.substring(from, i++);
      if (c == '\\' && quote != '`') break;
      if (c == '\n' && quote != '`') throw error(start, "unterminated quoted string");
      if (c == '\uFFFD' || Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c) || i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
          throw error(start, "invalid UTF-8 rune");
        }
        i++;
      }
      i++;
    }
    if (i == n) throw error(start, quote == '`' ? "unterminated raw string" : "unterminated quoted string");
    return readEscaped(start, quote, from);
  }

  /** The slow path: Go escapes, some of which ({@code \xHH}, octal) produce raw bytes. */
  private String readEscaped(int start, char quote, int from) {
    Utf8Builder out = new Utf8Builder(i - from + 16);
    out.appendChars(s, from, i);
    while (true) {
      if (i == n) throw error(start, "unterminated quoted string");
      char c = s.charAt(i);
      if (c == quote) {
        i++;
        return out.toString();
      }
      if (c == '\n') throw error(start, "unterminated quoted string");
      if (c == '\\') {
        i++;
        readEscape(start, quote, out);
        continue;
      }
      int cp = s.codePointAt(i);
      if (cp == 0xFFFD || (cp >= 0xD800 && cp <= 0xDFFF)) throw error(start, "invalid UTF-8 rune");
      out.appendCodePoint(cp);
      i += Character.charCount(cp);
    }
  }

  private void readEscape(int start, char quote, Utf8Builder out) {
    if (i == n) throw error(start, "escape sequence not terminated");
    char c = s.charAt(i++);
    switch (c) {
      case 'a' -> out.appendByte(0x07);
      case 'b' -> out.appendByte('\b');
      case 'f' -> out.appendByte('\f');
      case 'n' -> out.appendByte('\n');
      case 'r' -> out.appendByte('\r');
      case 't' -> out.appendByte('\t');
      case 'v' -> out.appendByte(0x0B);
      case '\\' -> out.appendByte('\\');
      case '0', '1', '2', '3', '4', '5', '6', '7' -> {
        i--;
        out.appendByte((int) readDigits(start, 3, 8, 255));
      }
      case 'x' -> out.appendByte((int) readDigits(start, 2, 16, 255));
      case 'u' -> out.appendCodePoint((int) readDigits(start, 4, 16, Character.MAX_CODE_POINT));
      case 'U' -> out.appendCodePoint((int) readDigits(start, 8, 16, Character.MAX_CODE_POINT));
      default -> {
        if (c == quote) {
          out.appendByte(c);
        } else {
          int cp = Character.isHighSurrogate(c) && i < n ? s.codePointAt(i - 1) : c;
          throw error(start, "unknown escape sequence " + goUnicode(cp));
        }
      }
    }
  }

  private long readDigits(int start, int count, int base, long max) {
    long x = 0;
    for (int k = 0; k < count; k++) {
      if (i == n) throw error(start, "escape sequence not terminated");
      int cp = s.codePointAt(i);
      int d = Character.digit(cp, 16);
      if (cp > 'f' || d < 0 || d >= base) {
        throw error(start, "illegal character " + goUnicode(cp) + " in escape sequence");
      }
      x = x * base + d;
      i++;
    }
    if (x > max || (x >= 0xD800 && x < 0xE000)) throw error(start, "escape sequence is an invalid Unicode code point");
    return x;
  }

  // ---- errors -----------------------------------------------------------------------------------

  private LabelsParseException eofInsideBraces() {
    return error(n, "unexpected end of input inside braces");
  }

  /** Error at {@code i} inside braces: a lexer error for characters that start no token, else a parser one. */
  private LabelsParseException unexpectedInBraces(String expected) {
    char c = s.charAt(i);
    String desc;
    switch (c) {
      case ',' -> desc = "\",\"";
      case '}' -> desc = "\"}\"";
      case '=' -> desc = i + 1 < n && s.charAt(i + 1) == '~' ? "<op:=~>" : "\"=\"";
      case '!' -> {
        char next = i + 1 < n ? s.charAt(i + 1) : 0;
        if (next == '=') desc = "<op:!=>";
        else if (next == '~') desc = "<op:!~>";
        else if (i + 1 == n) return error(i, "unexpected character after '!' inside braces: " + quoteRune(0xFFFD));
        else return error(i, "unexpected character after '!' inside braces: " + quoteRune(s.codePointAt(i + 1)));
      }
      case '{' -> {
        return error(i, "unexpected left brace '{'");
      }
      case '"', '\'', '`' -> {
        int start = i;
        readString(); // a broken string reports its own lexer error first
        desc = "string " + quoteTruncated(s.substring(start, i));
        i = start;
      }
      default -> {
        if (isAlpha(c)) {
          int end = i;
          while (end < n && isAlnum(s.charAt(end))) end++;
          desc = "identifier " + GoQuote.quote(s.substring(i, end));
        } else {
          return error(i, "unexpected character inside braces: " + quoteRune(s.codePointAt(i)));
        }
      }
    }
    return error(i, "unexpected " + desc + " in label set, expected " + expected);
  }

  private String describeTopLevel() {
    char c = s.charAt(i);
    if (c == '{') return "\"{\"";
    if (isAlpha(c) || c == ':') {
      int end = i;
      while (end < n && (isAlnum(s.charAt(end)) || s.charAt(end) == ':')) end++;
      return "identifier " + GoQuote.quote(s.substring(i, end));
    }
    return "character: " + quoteRune(s.codePointAt(i));
  }

  private LabelsParseException error(int pos, String detail) {
    // Prometheus counts bytes: column = byte offset - offset of the last line break before it.
    int line = 1;
    int bytes = 0;
    int lastBreak = -1;
    for (int k = 0; k < pos && k < n; k++) {
      char c = s.charAt(k);
      if (c == '\n') {
        line++;
        lastBreak = bytes;
      }
      if (c < 0x80) bytes++;
      else if (c < 0x800) bytes += 2;
      else if (Character.isHighSurrogate(c) && k + 1 < n && Character.isLowSurrogate(s.charAt(k + 1))) {
        bytes += 4;
        k++;
      } else bytes += 3;
    }
    return new LabelsParseException(detail, line, bytes - lastBreak);
  }

  /** Go's {@code %#U}: {@code U+0071 'q'}. */
  private static String goUnicode(int cp) {
    String hex = String.format("U+%04X", cp);
    if (Character.isISOControl(cp) || !Character.isDefined(cp)) return hex;
    return hex + " '" + new String(Character.toChars(cp)) + "'";
  }

  /** Go's {@code %q} of a rune. */
  static String quoteRune(int cp) {
    if (cp == '\'') return "'\\''";
    if (cp == '"') return "'\"'";
    String q = GoQuote.quote(new String(Character.toChars(cp)));
    return "'" + q.substring(1, q.length() - 1) + "'";
  }

  /** Go's {@code %.10q...} for long token texts, {@code %q} otherwise. */
  private static String quoteTruncated(String text) {
    if (text.getBytes(StandardCharsets.UTF_8).length <= 10) return GoQuote.quote(text);
    int end = text.offsetByCodePoints(0, Math.min(10, text.codePointCount(0, text.length())));
    return GoQuote.quote(text.substring(0, end)) + "...";
  }

  // ---- characters -------------------------------------------------------------------------------

  private void skipSpace() {
    while (i < n) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        i++;
      } else if (c == '#') { // a line comment runs to the end of the line (\r or \n)
        while (i < n && s.charAt(i) != '\n' && s.charAt(i) != '\r') i++;
      } else {
        return;
      }
    }
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isAlnum(char c) {
    return isAlpha(c) || (c >= '0' && c <= '9');
  }
}
