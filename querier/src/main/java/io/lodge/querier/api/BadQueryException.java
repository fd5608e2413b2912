package io.lodge.querier.api;

/** A query request Loki would refuse with 400; the message is the one Loki sends (plain text). */
public final class BadQueryException extends RuntimeException {
  public BadQueryException(String message) {
    super(message, null, false, false);
  }
}
