package io.lodge.querier.logql;

import java.util.ArrayList;
import java.util.List;

/**
 * A lazily lexed token stream with unbounded look-ahead. Lexing stays lazy so that, as in Loki, a
 * syntax error earlier in the query wins over a lexical error further on.
 */
final class TokenStream {
  private final Lexer lexer;
  private final List<Token> buffer = new ArrayList<>();
  private Token last;
  private int depth;
  /** Nesting bound: deeper input is refused as a 400 instead of overflowing the thread's stack. */
  static final int MAX_DEPTH = 1000;

  TokenStream(String input) {
    this.lexer = new Lexer(input);
  }

  Token peek() {
    return peek(0);
  }

  Token peek(int ahead) {
    while (buffer.size() <= ahead) buffer.add(lexer.next());
    return buffer.get(ahead);
  }

  boolean at(TokenType t) {
    return peek().type() == t;
  }

  Token next() {
    Token t = peek();
    buffer.remove(0);
    last = t;
    return t;
  }

  /** Consumes the next token if it has type {@code t}. */
  boolean accept(TokenType t) {
    if (!at(t)) return false;
    next();
    return true;
  }

  /**
   * Consumes a token of type {@code t}, else fails with Loki's {@code syntax error: unexpected X}
   * (plus {@code , expecting A or B} when {@code expecting} is given).
   */
  Token expect(TokenType t, String... expecting) {
    if (!at(t)) throw unexpected(peek(), expecting);
    return next();
  }

  /** The last consumed token (for positions of errors raised after a token). */
  Token last() {
    return last;
  }

  /** Enters one level of nesting (call {@link #exit()} in a finally block). */
  void enter() {
    if (++depth > MAX_DEPTH) {
      Token t = peek();
      throw ParseException.at(t.line(), t.column(),
          "syntax error: expression nested deeper than " + MAX_DEPTH + " levels");
    }
  }

  void exit() {
    depth--;
  }

  static ParseException unexpected(Token t, String... expecting) {
    StringBuilder sb = new StringBuilder("syntax error: unexpected ").append(t.display());
    if (expecting.length > 0) sb.append(", expecting ").append(String.join(" or ", expecting));
    return ParseException.at(t.line(), t.column(), sb.toString());
  }
}
