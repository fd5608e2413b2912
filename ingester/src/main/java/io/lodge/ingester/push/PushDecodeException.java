package io.lodge.ingester.push;

/** A push body that cannot be decoded; the message is what the client sees with HTTP 400. */
public class PushDecodeException extends RuntimeException {
  public PushDecodeException(String message) {
    super(message, null, false, false);
  }

  public PushDecodeException(String message, Throwable cause) {
    super(message, cause, false, false);
  }

  /** The HTTP status for this failure. */
  public int status() {
    return 400;
  }
}
