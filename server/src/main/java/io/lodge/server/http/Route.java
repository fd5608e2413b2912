package io.lodge.server.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Objects;
import java.util.Set;

/**
 * One registered endpoint: the methods it answers, its path template (also its metrics label), how
 * the tenant is resolved, and the handler.
 */
public record Route(Set<HttpMethod> methods, PathTemplate template, TenantPolicy tenantPolicy, HttpHandler handler) {
  public Route {
    methods = Set.copyOf(methods);
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(tenantPolicy, "tenantPolicy");
    Objects.requireNonNull(handler, "handler");
    if (methods.isEmpty()) throw new IllegalArgumentException("route " + template + " has no methods");
  }
}
