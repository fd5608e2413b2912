package io.lodge.server.http;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code GET /ready} (LOKI-COMPAT 2.13): 200 {@code ready} when the supplied check passes, 503 with its
 * reason otherwise (e.g. {@code WAL replay in progress}), so load balancers and Kubernetes wait.
 */
public final class ReadyHandler implements HttpHandler {
  public static final String PATH = "/ready";

  private final Supplier<String> notReadyReason;

  /** {@code notReadyReason} returns null when ready, else why not; called on the event loop, keep it cheap. */
  public ReadyHandler(Supplier<String> notReadyReason) {
    this.notReadyReason = notReadyReason;
  }

  public void register(Router router) {
    router.get(PATH, this);
  }

  @Override
  public CompletableFuture<Response> handle(Request request) {
    String reason = notReadyReason.get();
    // Loki answers both through http.Error: text/plain, nosniff, trailing newline
    if (reason == null) return CompletableFuture.completedFuture(Response.error(200, "ready"));
    return CompletableFuture.completedFuture(Response.error(503, reason));
  }
}
