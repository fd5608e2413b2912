package io.lodge.server.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Maps (method, path) to a {@link Route}, like Loki's gorilla mux: an unknown path is a 404
 * ({@code 404 page not found}), a known path with another method a 405. Exact paths are looked up in a
 * hash map; templates are tried in registration order after them. Register everything before the
 * server starts; lookups are thread-safe.
 */
public final class Router {
  /** Metrics label of requests that matched no route. */
  public static final String NOT_FOUND_ROUTE = "notfound";

  private final Map<String, List<Route>> literal = new HashMap<>();
  private final List<Route> templated = new CopyOnWriteArrayList<>();

  /** The result of a lookup. */
  public sealed interface Match permits Found, MethodNotAllowed, NotFound {}

  /** A route answers this method and path; {@code pathParams} holds the template's variables. */
  public record Found(Route route, Map<String, String> pathParams) implements Match {}

  /** The path is known but not for this method; {@code allowed} lists the methods that are. */
  public record MethodNotAllowed(String routeName, Set<HttpMethod> allowed) implements Match {}

  /** No route has this path. */
  public record NotFound() implements Match {}

  private static final NotFound NOT_FOUND = new NotFound();

  /** Registers a route; a route for the same template and an overlapping method is a bug. */
  public synchronized Router add(Route route) {
    List<Route> same = new ArrayList<>();
    if (route.template().isLiteral()) {
      same = literal.computeIfAbsent(route.template().toString(), k -> new CopyOnWriteArrayList<>());
    } else {
      for (Route r : templated) if (r.template().equals(route.template())) same.add(r);
    }
    for (Route r : same) {
      for (HttpMethod m : route.methods()) {
        if (r.methods().contains(m)) {
          throw new IllegalStateException("route " + m + " " + route.template() + " registered twice");
        }
      }
    }
    if (route.template().isLiteral()) same.add(route);
    else templated.add(route);
    return this;
  }

  /** Registers {@code handler} for {@code methods} on {@code template}. */
  public Router add(Set<HttpMethod> methods, String template, TenantPolicy tenants, HttpHandler handler) {
    return add(new Route(methods, PathTemplate.parse(template), tenants, handler));
  }

  /** Registers a GET route without a tenant (operational endpoints). */
  public Router get(String template, HttpHandler handler) {
    return add(Set.of(HttpMethod.GET), template, TenantPolicy.NONE, handler);
  }

  /** Looks up a request. */
  public Match match(HttpMethod method, String path) {
    List<Route> exact = literal.get(path);
    Set<HttpMethod> allowed = null;
    String name = null;
    if (exact != null) {
      for (Route r : exact) {
        if (r.methods().contains(method)) return new Found(r, Map.of());
      }
      allowed = new LinkedHashSet<>();
      for (Route r : exact) allowed.addAll(r.methods());
      name = path;
    }
    for (Route r : templated) {
      Map<String, String> vars = r.template().match(path);
      if (vars == null) continue;
      if (r.methods().contains(method)) return new Found(r, vars);
      if (allowed == null) allowed = new LinkedHashSet<>();
      allowed.addAll(r.methods());
      if (name == null) name = r.template().toString();
    }
    return allowed == null ? NOT_FOUND : new MethodNotAllowed(name, Set.copyOf(allowed));
  }

  /** The metrics label for a request: its route's template, or {@link #NOT_FOUND_ROUTE}. */
  public String routeName(HttpMethod method, String path) {
    return switch (match(method, path)) {
      case Found f -> f.route().template().toString();
      case MethodNotAllowed m -> m.routeName();
      case NotFound n -> NOT_FOUND_ROUTE;
    };
  }
}
