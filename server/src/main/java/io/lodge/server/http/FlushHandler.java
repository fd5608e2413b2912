package io.lodge.server.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.IntSupplier;

/**
 * {@code POST /flush} (Loki's ingester flush endpoint): flushes every stream the head holds to chunks
 * now and answers 204 once the chunks and the index commit are durable. Operators use it before a
 * shutdown or an upgrade, benchmarks to query flushed data. The flush runs on {@code workers}, never on
 * the event loop; a flush that fails answers 500 with its message.
 */
public final class FlushHandler implements HttpHandler {
  public static final String PATH = "/flush";

  private final IntSupplier flushAll;
  private final Executor workers;

  /**
   * @param flushAll flushes everything and returns the number of streams cut ({@code Ingester::flushAll})
   * @param workers where the blocking flush runs (the query or push workers)
   */
  public FlushHandler(IntSupplier flushAll, Executor workers) {
    this.flushAll = flushAll;
    this.workers = workers;
  }

  public void register(Router router) {
    router.add(Set.of(HttpMethod.POST), PATH, TenantPolicy.NONE, this);
  }

  @Override
  public CompletableFuture<Response> handle(Request request) {
    return CompletableFuture.supplyAsync(() -> {
      flushAll.getAsInt();
      return Response.noContent();
    }, workers);
  }
}
