package io.lodge.ingester.push;

/**
 * A stream's label string that the Prometheus series parser refuses (LOKI-COMPAT 1.5.3). The message is
 * Loki's {@code couldn't parse labels: <line>:<col>: parse error: <detail>}; the whole push is refused.
 */
public final class LabelsParseException extends PushDecodeException {
  private final String detail;
  private final int line;
  private final int column;

  LabelsParseException(String detail, int line, int column) {
    super("couldn't parse labels: " + line + ":" + column + ": parse error: " + detail);
    this.detail = detail;
    this.line = line;
    this.column = column;
  }

  /** What was wrong, without the position (Prometheus' parse error text). */
  public String detail() {
    return detail;
  }

  /** 1-based line of the offending token. */
  public int line() {
    return line;
  }

  /** 1-based column, counted in UTF-8 bytes as Prometheus does. */
  public int column() {
    return column;
  }
}
