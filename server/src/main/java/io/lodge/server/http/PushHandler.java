package io.lodge.server.http;

import io.lodge.ingester.PushOutcome;
import io.lodge.ingester.PushService;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.push.PushApi;
import io.lodge.ingester.push.PushBodyDecoder;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code POST /loki/api/v1/push} and {@code POST /api/prom/push} (LOKI-COMPAT 1.1, 1.3, 1.10): the
 * route resolves the one tenant, the body is decoded on the worker executor (CPU work, never on the
 * event loop) and released right after, the request goes to the {@link PushService}, and its
 * {@link PushOutcome} becomes 204 or the status with {@code message + "\n"} as plain text. Decode
 * failures answer the decoder's status (400/413) and message; anything unexpected is a logged 500.
 */
public final class PushHandler {
  public static final String V1_PATH = "/loki/api/v1/push";
  public static final String LEGACY_PATH = "/api/prom/push";

  private final PushDecoderFunction decoder;
  private final PushService service;
  private final Executor workers;
  private final Executor answers;

  /** Production wiring: decodes with {@link PushBodyDecoder}. */
  public PushHandler(PushBodyDecoder decoder, PushService service, Executor workers) {
    this(decoder::decode, service, workers);
  }

  public PushHandler(PushDecoderFunction decoder, PushService service, Executor workers) {
    this.decoder = decoder;
    this.service = service;
    this.workers = workers;
    this.answers = new InlineOnRejection(workers);
  }

  /** Registers both push paths (POST, one tenant). */
  public void register(Router router) {
    router.add(Set.of(HttpMethod.POST), V1_PATH, TenantPolicy.SINGLE, r -> handle(PushApi.V1, r));
    router.add(Set.of(HttpMethod.POST), LEGACY_PATH, TenantPolicy.SINGLE, r -> handle(PushApi.LEGACY, r));
  }

  /** Serves one push on {@code api}'s JSON shape; the request's tenant must already be resolved. */
  public CompletableFuture<Response> handle(PushApi api, Request request) {
    String tenant = request.tenant();
    if (tenant == null) throw new IllegalStateException("push route registered without a tenant policy");
    String contentType = request.header(HttpHeaderNames.CONTENT_TYPE);
    String contentEncoding = request.header(HttpHeaderNames.CONTENT_ENCODING);
    // decode and validate on the worker: composing after supplyAsync could run the push service on the
    // event loop when decoding finishes before the continuation is attached
    // the outcome completes on the WAL thread once the record is durable and applied: the response is
    // built and handed to the event loop on a worker, so the WAL thread goes back to the next group
    return CompletableFuture
        .supplyAsync(() -> service.push(tenant, decode(api, contentType, contentEncoding, request)), workers)
        .thenCompose(outcome -> outcome)
        .thenApplyAsync(PushHandler::toResponse, answers);
  }

  private PushRequest decode(PushApi api, String contentType, String contentEncoding, Request request) {
    try {
      return decoder.decode(api, contentType, contentEncoding, request.body());
    } finally {
      // the decoded request owns copies of every line: free the body now, not after the WAL sync
      request.releaseBody();
    }
  }

  static Response toResponse(PushOutcome outcome) {
    if (outcome.isSuccess()) return Response.noContent();
    return Response.error(outcome.status(), outcome.message());
  }
}
