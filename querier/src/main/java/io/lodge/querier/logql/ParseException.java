package io.lodge.querier.logql;

/**
 * A query Loki would reject with 400 while parsing. {@link #getMessage()} is Loki's exact text:
 * {@code parse error at line <l>, col <c>: <msg>}, or {@code parse error : <msg>} when no position is
 * known (line and column both 0).
 */
public final class ParseException extends RuntimeException {
  private final int line;
  private final int column;
  private final String detail;
  private final boolean prefixed;

  private ParseException(int line, int column, String detail, boolean prefixed) {
    super(detail, null, false, false);
    this.line = line;
    this.column = column;
    this.detail = detail;
    this.prefixed = prefixed;
  }

  /** An error at a position; {@code line} may be 0 where Loki reports line 0 (see {@code Token}). */
  public static ParseException at(int line, int column, String detail) {
    return new ParseException(line, column, detail, true);
  }

  /** An error without a position: {@code parse error : <detail>}. */
  public static ParseException noPosition(String detail) {
    return new ParseException(0, 0, detail, true);
  }

  /** An error whose message is {@code detail} alone, e.g. {@code only label matchers are supported}. */
  public static ParseException bare(String detail) {
    return new ParseException(0, 0, detail, false);
  }

  /** The HTTP status Loki answers with. */
  public int status() {
    return 400;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  /** The message without the {@code parse error ...:} prefix. */
  public String detail() {
    return detail;
  }

  @Override
  public String getMessage() {
    if (!prefixed) return detail;
    if (line == 0 && column == 0) return "parse error : " + detail;
    return "parse error at line " + line + ", col " + column + ": " + detail;
  }
}
