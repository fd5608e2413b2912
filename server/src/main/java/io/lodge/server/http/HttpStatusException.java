package io.lodge.server.http;

/**
 * A failure whose HTTP status the thrower knows (bad parameter, limit hit, not ready); the message is
 * the plain-text body Loki would send, without the trailing newline.
 */
public class HttpStatusException extends RuntimeException {
  private final int status;

  public HttpStatusException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public HttpStatusException(int status, String message, Throwable cause) {
    super(message, cause, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
