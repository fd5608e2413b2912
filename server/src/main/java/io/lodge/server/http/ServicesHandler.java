package io.lodge.server.http;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@code GET /services} (LOKI-COMPAT 2.13): one {@code <name> => <State>} line per service, by name. */
public final class ServicesHandler implements HttpHandler {
  public static final String PATH = "/services";

  private final ServiceRegistry services;

  public ServicesHandler(ServiceRegistry services) {
    this.services = services;
  }

  public void register(Router router) {
    router.get(PATH, this);
  }

  @Override
  public CompletableFuture<Response> handle(Request request) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, ServiceState> e : services.snapshot().entrySet()) {
      sb.append(e.getKey()).append(" => ").append(e.getValue()).append('\n');
    }
    return CompletableFuture.completedFuture(Response.text(200, sb.toString()));
  }
}
