package io.lodge.querier.template;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Go {@code text/template} source into tokens, following Go's {@code text/template/parse}
 * lexer: text outside {@code {{ }}}, trim markers {@code {{- } and {@code  -}}} (a dash plus one
 * space, which also eat the whitespace of the neighbouring text), comments {@code {{/* *\/}}}, and
 * inside actions fields, variables, literals, keywords and punctuation. A lexical error becomes a
 * final {@link Kind#ERROR} token whose text is Go's message; the parser reports it.
 */
final class TemplateLexer {
  /** Token kinds; those after {@link #KEYWORD} print as {@code <word>} in errors, like Go. */
  enum Kind {
    ERROR, BOOL, CHAR, CHAR_CONSTANT, ASSIGN, DECLARE, EOF, FIELD, IDENTIFIER, LEFT_DELIM,
    LEFT_PAREN, NUMBER, PIPE, RAW_STRING, RIGHT_DELIM, RIGHT_PAREN, SPACE, STRING, TEXT, VARIABLE,
    KEYWORD, DOT, BLOCK, BREAK, CONTINUE, DEFINE, ELSE, END, IF, NIL, RANGE, TEMPLATE, WITH
  }

  /** One token: kind, byte... (UTF-16) offset into the source, its text and 1-based line. */
  record Token(Kind kind, int pos, String val, int line) {
    /** Go's {@code item.String()}, used in {@code unexpected X in Y} messages. */
    String describe() {
      if (kind == Kind.EOF) return "EOF";
      if (kind == Kind.ERROR) return val;
      if (kind.ordinal() > Kind.KEYWORD.ordinal()) return "<" + val + ">";
      if (val.length() > 10) return GoQuote.quote(val.substring(0, 10)) + "...";
      return GoQuote.quote(val);
    }
  }

  private static final String LEFT = "{{";
  private static final String RIGHT = "}}";

  private final String in;
  private final List<Token> out = new ArrayList<>();
  private int pos;
  private int start;
  private int lineCursorPos;
  private int lineCursor = 1;
  private int parenDepth;
  private boolean done;

  private TemplateLexer(String in) {
    this.in = in;
  }

  /** All tokens of {@code text}, ending with EOF or ERROR. */
  static List<Token> lex(String text) {
    TemplateLexer l = new TemplateLexer(text);
    l.run();
    return l.out;
  }

  private void run() {
    boolean inside = false;
    while (!done) {
      inside = inside ? lexInsideAction() : lexText();
    }
  }

  private void emit(Kind k) {
    out.add(new Token(k, start, in.substring(start, pos), lineAt(start)));
    start = pos;
  }

  private void ignore() {
    start = pos;
  }

  private boolean error(String msg) {
    out.add(new Token(Kind.ERROR, start, msg, lineAt(start)));
    done = true;
    return false;
  }

  /** 1-based line of offset {@code p}; tokens come in order, so a forward cursor suffices. */
  private int lineAt(int p) {
    if (p < lineCursorPos) {
      lineCursorPos = 0;
      lineCursor = 1;
    }
    lineCursor += count(in, lineCursorPos, p);
    lineCursorPos = p;
    return lineCursor;
  }

  private int next() {
    if (pos >= in.length()) {
      pos = in.length() + 1;
      return -1;
    }
    return in.charAt(pos++);
  }

  private void backup() {
    if (pos > in.length()) {
      pos = in.length();
      return;
    }
    pos--;
  }

  private int peek() {
    return pos < in.length() ? in.charAt(pos) : -1;
  }

  private static int count(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < Math.min(to, s.length()); i++) if (s.charAt(i) == '\n') n++;
    return n;
  }

  static boolean isSpace(int c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  static boolean isAlphaNumeric(int c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  private boolean hasLeftTrim(int at) {
    return at + 1 < in.length() && in.charAt(at) == '-' && isSpace(in.charAt(at + 1));
  }

  private boolean hasRightTrim(int at) {
    return at + 1 < in.length() && isSpace(in.charAt(at)) && in.charAt(at + 1) == '-'
        && in.startsWith(RIGHT, at + 2);
  }

  /** Text up to the next left delimiter; returns true when an action begins. */
  private boolean lexText() {
    int x = in.indexOf(LEFT, pos);
    if (x < 0) {
      pos = in.length();
      if (pos > start) emit(Kind.TEXT);
      emit(Kind.EOF);
      done = true;
      return false;
    }
    pos = x;
    int trimLength = 0;
    int delimEnd = pos + LEFT.length();
    if (hasLeftTrim(delimEnd)) {
      int end = pos;
      while (end > start && isSpace(in.charAt(end - 1))) end--;
      trimLength = pos - end;
    }
    pos -= trimLength;
    if (pos > start) emit(Kind.TEXT);
    pos += trimLength;
    ignore();
    return lexLeftDelim();
  }

  private boolean lexLeftDelim() {
    pos += LEFT.length();
    boolean trim = hasLeftTrim(pos);
    int afterMarker = trim ? 2 : 0;
    if (in.startsWith("/*", pos + afterMarker)) {
      pos += afterMarker;
      ignore();
      return lexComment();
    }
    emit(Kind.LEFT_DELIM);
    pos += afterMarker;
    ignore();
    parenDepth = 0;
    return true;
  }

  private boolean lexComment() {
    pos += 2;
    int x = in.indexOf("*/", pos);
    if (x < 0) return error("unclosed comment");
    pos = x + 2;
    boolean trim = hasRightTrim(pos);
    if (!trim && !in.startsWith(RIGHT, pos)) return error("comment ends before closing delimiter");
    if (trim) pos += 2;
    pos += RIGHT.length();
    if (trim) skipSpaceAfterTrim();
    ignore();
    return false;
  }

  private void skipSpaceAfterTrim() {
    while (pos < in.length() && isSpace(in.charAt(pos))) pos++;
  }

  /** One token inside an action; returns whether we are still inside the action. */
  private boolean lexInsideAction() {
    boolean trim = hasRightTrim(pos);
    if (trim || in.startsWith(RIGHT, pos)) {
      if (parenDepth != 0) return error("unclosed left paren");
      if (trim) {
        pos += 2;
        ignore();
      }
      pos += RIGHT.length();
      emit(Kind.RIGHT_DELIM);
      if (trim) {
        skipSpaceAfterTrim();
        ignore();
      }
      return false;
    }
    int r = next();
    if (r == -1) return error("unclosed action");
    if (isSpace(r)) {
      backup();
      return lexSpace();
    }
    switch (r) {
      case '=' -> emit(Kind.ASSIGN);
      case ':' -> {
        if (next() != '=') return error("expected :=");
        emit(Kind.DECLARE);
      }
      case '|' -> emit(Kind.PIPE);
      case '"' -> {
        return lexQuote();
      }
      case '`' -> {
        return lexRawQuote();
      }
      case '$' -> {
        return lexFieldOrVariable(Kind.VARIABLE);
      }
      case '\'' -> {
        return lexChar();
      }
      case '(' -> {
        emit(Kind.LEFT_PAREN);
        parenDepth++;
      }
      case ')' -> {
        emit(Kind.RIGHT_PAREN);
        parenDepth--;
        if (parenDepth < 0) return error("unexpected right paren");
      }
      default -> {
        if (r == '.') {
          int p = peek();
          if (p < '0' || p > '9') return lexFieldOrVariable(Kind.FIELD);
        }
        if (r == '.' || r == '+' || r == '-' || (r >= '0' && r <= '9')) {
          backup();
          return lexNumber();
        }
        if (isAlphaNumeric(r)) {
          backup();
          return lexIdentifier();
        }
        if (r <= 0x7f && r >= 0x20 && r != 0x7f) {
          emit(Kind.CHAR);
        } else {
          return error("unrecognized character in action: " + GoQuote.unicodeName(r));
        }
      }
    }
    return true;
  }

  private boolean lexSpace() {
    int spaces = 0;
    while (true) {
      int r = peek();
      if (!isSpace(r)) break;
      next();
      spaces++;
      // A space followed by "-}}" belongs to the trim marker, not to this space token.
      if (hasRightTrim(pos - 1)) {
        backup();
        if (spaces == 1) return true;
        break;
      }
    }
    emit(Kind.SPACE);
    return true;
  }

  private boolean atTerminator() {
    int r = peek();
    if (isSpace(r) || r == -1) return true;
    switch (r) {
      case '.', ',', '|', ':', ')', '(' -> {
        return true;
      }
      default -> {
        return in.startsWith(RIGHT, pos);
      }
    }
  }

  private boolean lexIdentifier() {
    int r;
    do {
      r = next();
    } while (isAlphaNumeric(r));
    backup();
    if (!atTerminator()) return error("bad character " + GoQuote.unicodeName(peek()));
    String word = in.substring(start, pos);
    Kind k = switch (word) {
      case "block" -> Kind.BLOCK;
      case "break" -> Kind.BREAK;
      case "continue" -> Kind.CONTINUE;
      case "define" -> Kind.DEFINE;
      case "else" -> Kind.ELSE;
      case "end" -> Kind.END;
      case "if" -> Kind.IF;
      case "range" -> Kind.RANGE;
      case "nil" -> Kind.NIL;
      case "template" -> Kind.TEMPLATE;
      case "with" -> Kind.WITH;
      case "true", "false" -> Kind.BOOL;
      default -> Kind.IDENTIFIER;
    };
    emit(k);
    return true;
  }

  private boolean lexFieldOrVariable(Kind k) {
    if (atTerminator()) {
      emit(k == Kind.VARIABLE ? Kind.VARIABLE : Kind.DOT);
      return true;
    }
    int r;
    do {
      r = next();
    } while (isAlphaNumeric(r));
    backup();
    if (!atTerminator()) return error("bad character " + GoQuote.unicodeName(peek()));
    emit(k);
    return true;
  }

  private boolean lexQuote() {
    while (true) {
      int r = next();
      if (r == '\\') {
        r = next();
        if (r != -1 && r != '\n') continue;
      }
      if (r == -1 || r == '\n') return error("unterminated quoted string");
      if (r == '"') break;
    }
    emit(Kind.STRING);
    return true;
  }

  private boolean lexRawQuote() {
    while (true) {
      int r = next();
      if (r == -1) return error("unterminated raw quoted string");
      if (r == '`') break;
    }
    emit(Kind.RAW_STRING);
    return true;
  }

  private boolean lexChar() {
    while (true) {
      int r = next();
      if (r == '\\') {
        r = next();
        if (r != -1 && r != '\n') continue;
      }
      if (r == -1 || r == '\n') return error("unterminated character constant");
      if (r == '\'') break;
    }
    emit(Kind.CHAR_CONSTANT);
    return true;
  }

  private boolean accept(String valid) {
    int r = next();
    if (r != -1 && valid.indexOf(r) >= 0) return true;
    backup();
    return false;
  }

  private void acceptRun(String valid) {
    int r;
    do {
      r = next();
    } while (r != -1 && valid.indexOf(r) >= 0);
    backup();
  }

  private boolean lexNumber() {
    if (!scanNumber()) {
      return error("bad number syntax: " + GoQuote.quote(in.substring(start, Math.min(pos, in.length()))));
    }
    emit(Kind.NUMBER);
    return true;
  }

  private boolean scanNumber() {
    accept("+-");
    String digits = "0123456789_";
    if (accept("0")) {
      if (accept("xX")) {
        digits = "0123456789abcdefABCDEF_";
      } else if (accept("oO")) {
        digits = "01234567_";
      } else if (accept("bB")) {
        digits = "01_";
      }
    }
    acceptRun(digits);
    if (accept(".")) acceptRun(digits);
    if (digits.length() == 11 && accept("eE")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    if (digits.length() == 23 && accept("pP")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    accept("i");
    if (isAlphaNumeric(peek())) {
      next();
      return false;
    }
    return true;
  }
}
