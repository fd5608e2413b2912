package io.lodge.server.syslog;

/** A frame that is not a syslog message: says what was expected, what came, and at which byte. */
public final class SyslogParseException extends Exception {
  private final int offset;

  public SyslogParseException(String message, int offset) {
    super(message + " at byte " + offset, null, false, false);
    this.offset = offset;
  }

  /** The byte offset in the message (after framing) where parsing failed. */
  public int offset() {
    return offset;
  }
}
