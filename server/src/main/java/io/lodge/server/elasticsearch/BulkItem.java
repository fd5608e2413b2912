package io.lodge.server.elasticsearch;

/**
 * The result of one bulk action, as the response's {@code items} array reports it: the action name
 * ({@code create}, {@code index}, ...), target index and id, HTTP-style status, and for a failure
 * Elasticsearch's error type and reason (both null on success).
 */
public record BulkItem(String action, String index, String id, int status, String errorType, String errorReason) {
  public static BulkItem created(String action, String index, String id) {
    return new BulkItem(action, index, id, 201, null, null);
  }

  public static BulkItem failed(String action, String index, String id, int status, String type, String reason) {
    return new BulkItem(action, index, id, status, type, reason);
  }

  public boolean isError() {
    return status >= 300;
  }

  /** This item with another outcome (after the push answered). */
  public BulkItem withOutcome(int newStatus, String type, String reason) {
    return new BulkItem(action, index, id, newStatus, type, reason);
  }
}
