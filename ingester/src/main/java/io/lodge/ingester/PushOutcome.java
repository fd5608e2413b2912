package io.lodge.ingester;

/**
 * The answer to one push, in Loki's terms: an HTTP status (204, 400, 429, 5xx, or the configured
 * blocked-ingestion status) and a message (empty for 204). gRPC maps the status to its code.
 */
public record PushOutcome(int status, String message) {
  private static final PushOutcome OK = new PushOutcome(204, "");

  public static PushOutcome ok() {
    return OK;
  }

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }
}
