package io.lodge.querier.logql;

/**
 * One lexed token. {@code text} is the source text (for strings: the unquoted value; for functions:
 * the lower-case name); {@code nanos} carries DURATION/RANGE values and BYTES counts.
 * {@code line} is 0 for tokens whose lexing looked ahead character by character (two-character
 * operators, durations, bytes, ranges, flags), because Loki's scanner invalidates the line there and
 * its messages then say {@code line 0}; {@code column} is always the 1-based start column.
 */
record Token(TokenType type, String text, long nanos, int line, int column) {
  String display() {
    return type == TokenType.FUNCTION ? text : type.display();
  }

  boolean is(TokenType t) {
    return type == t;
  }

  boolean isFunction(String name) {
    return type == TokenType.FUNCTION && text.equals(name);
  }
}
