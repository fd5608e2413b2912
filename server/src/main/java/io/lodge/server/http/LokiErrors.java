package io.lodge.server.http;

import io.lodge.ingester.push.PushDecodeException;
import io.lodge.server.tenant.TenantException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one table from exceptions to Loki's status and plain-text body (LOKI-COMPAT 2.1): typed
 * exceptions carry their status; anything else is our bug or a storage failure, answered 500 with its
 * message and logged with its stack trace.
 */
public final class LokiErrors {
  private static final Logger log = LoggerFactory.getLogger(LokiErrors.class);

  /** Loki's body for 499. */
  public static final String CANCELLED = "The request was cancelled by the client.";

  private LokiErrors() {}

  /** The response for a failure while serving {@code request} (used in the log line only). */
  public static Response toResponse(Throwable failure, Object request) {
    Throwable t = unwrap(failure);
    return switch (t) {
      case HttpStatusException e -> Response.error(e.status(), e.getMessage());
      case TenantException e -> Response.error(e.status(), e.getMessage());
      case PushDecodeException e -> Response.error(e.status(), e.getMessage());
      case RejectedExecutionException e -> {
        // the bounded worker pool is full: 503 makes promtail & co. back off and retry
        log.atWarn().addKeyValue("request", request).log("worker pool full, answering 503");
        yield Response.error(503, "too many requests in progress, try again later");
      }
      case CancellationException e -> Response.error(499, CANCELLED);
      default -> {
        log.atError().addKeyValue("request", request).setCause(t).log("request failed");
        String message = t.getMessage() != null ? t.getMessage() : t.getClass().getName();
        yield Response.error(500, message);
      }
    };
  }

  /** Strips the wrappers CompletableFuture puts around the real failure. */
  public static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
