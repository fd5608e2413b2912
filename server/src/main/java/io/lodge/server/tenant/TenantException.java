package io.lodge.server.tenant;

/**
 * A request whose tenant cannot be served: 401 when the org id is missing with auth on, 400 when it is
 * invalid (LOKI-COMPAT 1.2). The message is exactly what Loki answers, without the trailing newline.
 */
public final class TenantException extends RuntimeException {
  private final int status;

  public TenantException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  /** The HTTP status for this failure (400 or 401). */
  public int status() {
    return status;
  }
}
