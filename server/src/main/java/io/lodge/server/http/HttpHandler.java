package io.lodge.server.http;

import java.util.concurrent.CompletableFuture;

/**
 * One endpoint. Called on the connection's event loop, so it must not block: work that touches disk,
 * waits on the WAL or burns CPU goes to an executor, and the returned future completes from there.
 *
 * <p>Contract: the request body stays valid until the returned future completes (or until the
 * handler calls {@link Request#releaseBody()}); the handler never releases it any other way. A future
 * that fails is answered through {@link LokiErrors}; a handler may also throw instead of returning.
 * The returned {@link Response}'s body is owned by the server from then on.
 */
@FunctionalInterface
public interface HttpHandler {
  CompletableFuture<Response> handle(Request request);
}
