package io.lodge.querier.logql;

/**
 * LogQL token kinds. {@link #display()} is the name Loki's parser uses in {@code unexpected X}
 * messages: the literal text for keywords and punctuation, an upper-case class name otherwise.
 */
enum TokenType {
  EOF("$end"), IDENTIFIER("IDENTIFIER"), STRING("STRING"), NUMBER("NUMBER"), DURATION("DURATION"),
  BYTES("BYTES"), RANGE("RANGE"), PARSER_FLAG("PARSER_FLAG"),
  /** A function name followed by {@code (} (or {@code by (}/{@code without (}); text is lower-case. */
  FUNCTION(null),
  LBRACE("{"), RBRACE("}"), LPAREN("("), RPAREN(")"), RBRACKET("]"), COMMA(","), DOT("."),
  EQ("="), NEQ("!="), RE("=~"), NRE("!~"), PIPE_EXACT("|="), PIPE_MATCH("|~"), PIPE_PATTERN("|>"),
  NPA("!>"), PIPE("|"), CMP_EQ("=="), GT(">"), GTE(">="), LT("<"), LTE("<="),
  ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%"), POW("^"),
  BY("by"), WITHOUT("without"), BOOL("bool"), OFFSET("offset"), ON("on"), IGNORING("ignoring"),
  GROUP_LEFT("group_left"), GROUP_RIGHT("group_right"), OR("or"), AND("and"), UNLESS("unless"),
  JSON("json"), LOGFMT("logfmt"), REGEXP("regexp"), PATTERN("pattern"), UNPACK("unpack"),
  LINE_FMT("line_format"), LABEL_FMT("label_format"), DECOLORIZE("decolorize"), DROP("drop"),
  KEEP("keep"), UNWRAP("unwrap");

  private final String display;

  TokenType(String display) {
    this.display = display;
  }

  String display() {
    return display;
  }

  /** Whether this token opens a line filter ({@code |=}, {@code !=}, ...). */
  boolean isLineFilterOp() {
    return switch (this) {
      case PIPE_EXACT, NEQ, PIPE_MATCH, NRE, PIPE_PATTERN, NPA -> true;
      default -> false;
    };
  }
}
