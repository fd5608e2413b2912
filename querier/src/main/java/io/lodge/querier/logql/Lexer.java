package io.lodge.querier.logql;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a LogQL query into tokens on demand (LOKI-COMPAT §3.1), mirroring the tokenisation of Loki's
 * Go {@code text/scanner} based lexer: case-insensitive keywords, function names that are keywords
 * only before {@code (}, {@code #} comments (and Go comments), Go-escaped and raw strings, ranges
 * scanned whole between brackets, durations and byte sizes glued to numbers. Errors are thrown as
 * {@link ParseException} at the start of the offending token, as Loki reports them.
 */
final class Lexer {
  private static final Map<String, TokenType> KEYWORDS = Map.ofEntries(
      Map.entry("by", TokenType.BY), Map.entry("without", TokenType.WITHOUT),
      Map.entry("bool", TokenType.BOOL), Map.entry("offset", TokenType.OFFSET),
      Map.entry("on", TokenType.ON), Map.entry("ignoring", TokenType.IGNORING),
      Map.entry("group_left", TokenType.GROUP_LEFT), Map.entry("group_right", TokenType.GROUP_RIGHT),
      Map.entry("or", TokenType.OR), Map.entry("and", TokenType.AND),
      Map.entry("unless", TokenType.UNLESS), Map.entry("json", TokenType.JSON),
      Map.entry("logfmt", TokenType.LOGFMT), Map.entry("regexp", TokenType.REGEXP),
      Map.entry("pattern", TokenType.PATTERN), Map.entry("unpack", TokenType.UNPACK),
      Map.entry("line_format", TokenType.LINE_FMT), Map.entry("label_format", TokenType.LABEL_FMT),
      Map.entry("decolorize", TokenType.DECOLORIZE), Map.entry("drop", TokenType.DROP),
      Map.entry("keep", TokenType.KEEP), Map.entry("unwrap", TokenType.UNWRAP));
  /** Names that are function tokens when followed by {@code (} or {@code by (}/{@code without (}. */
  static final Set<String> FUNCTIONS = Set.of(
      "rate", "rate_counter", "count_over_time", "bytes_rate", "bytes_over_time", "avg_over_time",
      "sum_over_time", "min_over_time", "max_over_time", "stdvar_over_time", "stddev_over_time",
      "quantile_over_time", "first_over_time", "last_over_time", "absent_over_time", "vector",
      "sum", "avg", "max", "min", "count", "stddev", "stdvar", "bottomk", "topk", "sort",
      "sort_desc", "label_replace", "approx_topk", "bytes", "duration", "duration_seconds", "ip");
  private static final Map<String, TokenType> TWO_CHAR = Map.of(
      "!=", TokenType.NEQ, "=~", TokenType.RE, "!~", TokenType.NRE, "!>", TokenType.NPA,
      "|=", TokenType.PIPE_EXACT, "|~", TokenType.PIPE_MATCH, "|>", TokenType.PIPE_PATTERN,
      "==", TokenType.CMP_EQ, ">=", TokenType.GTE, "<=", TokenType.LTE);
  private static final Map<Integer, TokenType> ONE_CHAR = Map.ofEntries(
      Map.entry((int) ',', TokenType.COMMA), Map.entry((int) '.', TokenType.DOT),
      Map.entry((int) '{', TokenType.LBRACE), Map.entry((int) '}', TokenType.RBRACE),
      Map.entry((int) '(', TokenType.LPAREN), Map.entry((int) ')', TokenType.RPAREN),
      Map.entry((int) ']', TokenType.RBRACKET), Map.entry((int) '=', TokenType.EQ),
      Map.entry((int) '|', TokenType.PIPE), Map.entry((int) '>', TokenType.GT),
      Map.entry((int) '<', TokenType.LT), Map.entry((int) '+', TokenType.ADD),
      Map.entry((int) '-', TokenType.SUB), Map.entry((int) '*', TokenType.MUL),
      Map.entry((int) '/', TokenType.DIV), Map.entry((int) '%', TokenType.MOD),
      Map.entry((int) '^', TokenType.POW));
  private static final Set<String> FLAGS = Set.of("--strict", "--keep-empty");

  private final int[] cps;
  private int pos;
  private int line = 1;
  private int col = 1;

  Lexer(String input) {
    this.cps = input.codePoints().toArray();
  }

  /** The next token; {@link TokenType#EOF} (repeatedly) at the end. */
  Token next() {
    skipSpaceAndComments();
    int startLine = line;
    int startCol = col;
    if (pos >= cps.length) return new Token(TokenType.EOF, "", 0, startLine, startCol);
    int c = cps[pos];
    if (Literals.isAsciiDigit(c) || (c == '.' && Literals.isAsciiDigit(peek(1)))) {
      return number(startCol);
    }
    if (c == '-') {
      advance();
      if (peek(0) == '-') {
        Token flag = flag(startCol);
        if (flag != null) return flag;
      }
      Token d = duration("-", startCol);
      return d != null ? d : new Token(TokenType.SUB, "-", 0, startLine, startCol);
    }
    if (c == '"') return new Token(TokenType.STRING, quoted(startLine, startCol), 0, startLine, startCol);
    if (c == '`') return new Token(TokenType.STRING, raw(startLine, startCol), 0, startLine, startCol);
    if (c == '\'') return charLiteral(startLine, startCol);
    if (c == '[') return range(startCol);
    if (Character.isLetter(c) || c == '_') return word(startLine, startCol);
    advance();
    if (pos < cps.length) {
      TokenType two = TWO_CHAR.get(new String(new int[] {c, cps[pos]}, 0, 2));
      if (two != null) {
        advance();
        return new Token(two, two.display(), 0, 0, startCol);
      }
    }
    TokenType one = ONE_CHAR.get(c);
    if (one != null) return new Token(one, one.display(), 0, startLine, startCol);
    // Loki's lexer hands any other character to the parser as an identifier.
    return new Token(TokenType.IDENTIFIER, Character.toString(c), 0, startLine, startCol);
  }

  private void skipSpaceAndComments() {
    while (pos < cps.length) {
      int c = cps[pos];
      if (Character.isWhitespace(c)) {
        advance();
      } else if (c == '#' || (c == '/' && peek(1) == '/')) {
        while (pos < cps.length && cps[pos] != '\n') advance();
      } else if (c == '/' && peek(1) == '*') {
        advance();
        advance();
        while (pos < cps.length && !(cps[pos] == '*' && peek(1) == '/')) advance();
        if (pos >= cps.length) throw ParseException.at(line, col, "comment not terminated");
        advance();
        advance();
      } else {
        return;
      }
    }
  }

  private Token number(int startCol) {
    int startLine = line;
    int start = pos;
    while (Literals.isAsciiDigit(peek(0))) advance();
    if (peek(0) == '.') {
      advance();
      while (Literals.isAsciiDigit(peek(0))) advance();
    }
    if ((peek(0) == 'e' || peek(0) == 'E')
        && (Literals.isAsciiDigit(peek(1))
            || ((peek(1) == '+' || peek(1) == '-') && Literals.isAsciiDigit(peek(2))))) {
      advance();
      advance();
      while (Literals.isAsciiDigit(peek(0))) advance();
    }
    String text = text(start, pos);
    Token d = duration(text, startCol);
    if (d != null) return d;
    Token b = bytes(text, startCol);
    if (b != null) return b;
    return new Token(TokenType.NUMBER, text, 0, startLine, startCol);
  }

  /** Glues duration characters to {@code prefix} when the result is a valid duration. */
  private Token duration(String prefix, int startCol) {
    int end = pos;
    while (end < cps.length && !Character.isWhitespace(cps[end])
        && (Literals.isAsciiDigit(cps[end]) || Literals.isDurationRune(cps[end]) || cps[end] == '.')) {
      end++;
    }
    if (end == pos) return null;
    String text = prefix + text(pos, end);
    Long nanos = Literals.parseDuration(text);
    if (nanos == null) return null;
    while (pos < end) advance();
    return new Token(TokenType.DURATION, text, nanos, 0, startCol);
  }

  private Token bytes(String number, int startCol) {
    int end = pos;
    while (end < cps.length
        && (Literals.isAsciiDigit(cps[end]) || Literals.isBytesRune(cps[end]) || cps[end] == '.')) {
      end++;
    }
    if (end == pos) return null;
    String text = number + text(pos, end);
    Long n = Literals.parseBytes(text);
    if (n == null) return null;
    while (pos < end) advance();
    return new Token(TokenType.BYTES, text, n, 0, startCol);
  }

  private Token flag(int startCol) {
    int end = pos;
    while (end < cps.length && (Character.isLetter(cps[end]) || cps[end] == '-')) end++;
    String text = "-" + text(pos, end);
    if (!FLAGS.contains(text)) return null;
    while (pos < end) advance();
    return new Token(TokenType.PARSER_FLAG, text, 0, 0, startCol);
  }

  private Token range(int startCol) {
    advance();
    int start = pos;
    while (pos < cps.length && cps[pos] != ']') advance();
    if (pos >= cps.length) throw ParseException.at(0, startCol, "missing closing ']' in duration");
    String text = text(start, pos);
    advance();
    try {
      return new Token(TokenType.RANGE, text, Literals.parsePromDuration(text), 0, startCol);
    } catch (IllegalArgumentException e) {
      throw ParseException.at(0, startCol, e.getMessage());
    }
  }

  private Token word(int startLine, int startCol) {
    int start = pos;
    while (pos < cps.length && (Character.isLetterOrDigit(cps[pos]) || cps[pos] == '_')) advance();
    String text = text(start, pos);
    String lower = text.toLowerCase(Locale.ROOT);
    if (FUNCTIONS.contains(lower)) {
      return followedByCall()
          ? new Token(TokenType.FUNCTION, lower, 0, startLine, startCol)
          : new Token(TokenType.IDENTIFIER, text, 0, startLine, startCol);
    }
    TokenType kw = KEYWORDS.get(lower);
    if (kw != null) return new Token(kw, lower, 0, startLine, startCol);
    return new Token(TokenType.IDENTIFIER, text, 0, startLine, startCol);
  }

  /** Whether the input continues with {@code (}, {@code by (} or {@code without (} (any case). */
  private boolean followedByCall() {
    int i = skipSpaces(pos);
    if (i < cps.length && cps[i] == '(') return true;
    for (String kw : new String[] {"by", "without"}) {
      if (i + kw.length() <= cps.length && text(i, i + kw.length()).equalsIgnoreCase(kw)) {
        int j = skipSpaces(i + kw.length());
        return j < cps.length && cps[j] == '(';
      }
    }
    return false;
  }

  private int skipSpaces(int i) {
    while (i < cps.length && Character.isWhitespace(cps[i])) i++;
    return i;
  }

  private String quoted(int startLine, int startCol) {
    advance();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      if (pos >= cps.length || cps[pos] == '\n') {
        throw ParseException.at(startLine, startCol, "literal not terminated");
      }
      int c = cps[pos];
      advance();
      if (c == '"') break;
      if (c != '\\') {
        out.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
        continue;
      }
      escape(out, startLine, startCol);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** One Go escape after a backslash inside a double-quoted string. */
  private void escape(ByteArrayOutputStream out, int startLine, int startCol) {
    int e = peek(0);
    if (e == -1) throw ParseException.at(startLine, startCol, "literal not terminated");
    advance();
    switch (e) {
      case 'a' -> out.write(7);
      case 'b' -> out.write(8);
      case 'f' -> out.write(12);
      case 'n' -> out.write('\n');
      case 'r' -> out.write('\r');
      case 't' -> out.write('\t');
      case 'v' -> out.write(11);
      case '\\' -> out.write('\\');
      case '"' -> out.write('"');
      case 'x' -> out.write((int) digits(2, 16, startLine, startCol));
      case 'u', 'U' -> {
        long cp = digits(e == 'u' ? 4 : 8, 16, startLine, startCol);
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) {
          throw ParseException.at(startLine, startCol, "invalid syntax");
        }
        out.writeBytes(Character.toString((int) cp).getBytes(StandardCharsets.UTF_8));
      }
      default -> {
        if (e >= '0' && e <= '7') {
          pos--;
          col--;
          long v = digits(3, 8, startLine, startCol);
          if (v > 255) throw ParseException.at(startLine, startCol, "invalid syntax");
          out.write((int) v);
        } else {
          throw ParseException.at(startLine, startCol, "invalid char escape");
        }
      }
    }
  }

  private long digits(int n, int radix, int startLine, int startCol) {
    long v = 0;
    for (int i = 0; i < n; i++) {
      int d = Character.digit(peek(0), radix);
      if (peek(0) == -1 || d < 0) throw ParseException.at(startLine, startCol, "invalid char escape");
      v = v * radix + d;
      advance();
    }
    return v;
  }

  private String raw(int startLine, int startCol) {
    advance();
    int start = pos;
    while (pos < cps.length && cps[pos] != '`') advance();
    if (pos >= cps.length) throw ParseException.at(startLine, startCol, "literal not terminated");
    String s = text(start, pos).replace("\r", ""); // Go drops carriage returns from raw strings
    advance();
    return s;
  }

  /** {@code 'x'}: Go's scanner accepts one character (then it is an identifier to the parser). */
  private Token charLiteral(int startLine, int startCol) {
    advance();
    int n = 0;
    int start = pos;
    while (true) {
      if (pos >= cps.length || cps[pos] == '\n') {
        throw ParseException.at(startLine, startCol, "literal not terminated");
      }
      int c = cps[pos];
      advance();
      if (c == '\'') break;
      if (c == '\\' && pos < cps.length) advance();
      n++;
    }
    if (n != 1) throw ParseException.at(startLine, startCol, "invalid char literal");
    return new Token(TokenType.IDENTIFIER, "'" + text(start, pos), 0, startLine, startCol);
  }

  private int peek(int ahead) {
    return pos + ahead < cps.length ? cps[pos + ahead] : -1;
  }

  private void advance() {
    if (cps[pos] == '\n') {
      line++;
      col = 1;
    } else {
      col++;
    }
    pos++;
  }

  private String text(int from, int to) {
    return new String(cps, from, to - from);
  }
}
