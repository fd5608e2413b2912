package io.lodge.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a {@link HttpHandler} sees of one request: method, decoded path, template variables,
 * parameters, headers, body and the resolved tenant(s).
 *
 * <p>Body ownership: the request wraps Netty's aggregated {@link FullHttpRequest}, which the server's
 * dispatcher owns. {@link #releaseBody()} releases it exactly once, whoever calls it first: the
 * dispatcher calls it when the handler's future completes; a handler that is done with the bytes early
 * (the push handler after decoding) may call it to free memory while it waits. Never use
 * {@link #body()} after either.
 */
public final class Request {
  /** Go's url.ParseQuery has no parameter limit; this one only bounds memory. */
  private static final int MAX_PARAMS = 10_000;

  private final FullHttpRequest netty;
  private final String path;
  private final Map<String, List<String>> queryParams;
  private final Map<String, String> pathParams;
  private final List<String> tenants;
  private final AtomicBoolean released = new AtomicBoolean();
  private volatile Map<String, List<String>> params;
  private volatile ChannelHandler webSocket;

  Request(FullHttpRequest netty, QueryStringDecoder uri, Map<String, String> pathParams, List<String> tenants) {
    this.netty = netty;
    this.path = uri.path();
    this.queryParams = uri.parameters();
    this.pathParams = pathParams;
    this.tenants = tenants;
  }

  /** Parses the request line's URI the way the dispatcher does (also for the metrics route label). */
  static QueryStringDecoder decodeUri(String uri) {
    return QueryStringDecoder.builder().maxParams(MAX_PARAMS).semicolonIsNormalChar(true).build(uri);
  }

  public HttpMethod method() {
    return netty.method();
  }

  /** The URL-decoded path, without the query string. */
  public String path() {
    return path;
  }

  /** The raw request-target as sent. */
  public String uri() {
    return netty.uri();
  }

  /** A variable of the route's template ({@code name} for {@code /label/{name}/values}), or null. */
  public String pathParam(String name) {
    return pathParams.get(name);
  }

  public HttpHeaders headers() {
    return netty.headers();
  }

  /** The first value of a header, or null. Values are Netty's Latin-1 view of the bytes. */
  public String header(CharSequence name) {
    return netty.headers().get(name);
  }

  /** The aggregated body; readable until the body is released (see the class comment). */
  public ByteBuf body() {
    if (released.get()) throw new IllegalStateException("request body of " + netty.uri() + " already released");
    return netty.content();
  }

  /** Releases the body if nobody has yet; safe to call more than once and from any thread. */
  public void releaseBody() {
    if (released.compareAndSet(false, true)) netty.release();
  }

  /** The tenant: the only one for a push route, the first for a query route, null when none. */
  public String tenant() {
    return tenants.isEmpty() ? null : tenants.get(0);
  }

  /** All tenants of a query route (sorted, distinct); empty for routes without a tenant. */
  public List<String> tenants() {
    return tenants;
  }

  /**
   * URL query parameters merged with the form body of a POST/PUT/PATCH with
   * {@code Content-Type: application/x-www-form-urlencoded}; like Go's {@code r.Form}, body values
   * come first. Parsed on first use, so push bodies sent with curl's default form type are never
   * parsed as forms.
   */
  public Map<String, List<String>> params() {
    Map<String, List<String>> p = params;
    if (p == null) {
      p = parseParams();
      params = p;
    }
    return p;
  }

  /** The first value of a parameter, or null. */
  public String param(String name) {
    List<String> values = params().get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private Map<String, List<String>> parseParams() {
    if (!hasFormBody()) return queryParams;
    String form = body().toString(StandardCharsets.UTF_8);
    Map<String, List<String>> bodyParams =
        QueryStringDecoder.builder().hasPath(false).maxParams(MAX_PARAMS).semicolonIsNormalChar(true)
            .build(form).parameters();
    if (bodyParams.isEmpty()) return queryParams;
    Map<String, List<String>> merged = new LinkedHashMap<>();
    bodyParams.forEach((k, v) -> merged.put(k, new ArrayList<>(v)));
    queryParams.forEach((k, v) -> merged.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    merged.replaceAll((k, v) -> List.copyOf(v));
    return Map.copyOf(merged);
  }

  private boolean hasFormBody() {
    HttpMethod m = netty.method();
    if (!m.equals(HttpMethod.POST) && !m.equals(HttpMethod.PUT) && !m.equals(HttpMethod.PATCH)) return false;
    String type = netty.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (type == null) return false;
    int semi = type.indexOf(';');
    String media = (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    return media.equals("application/x-www-form-urlencoded");
  }

  /**
   * Accepts this request as a WebSocket upgrade: return the result from the handler (its future) and the
   * server performs the handshake (RFC 6455) instead of writing a response, then hands the connection's
   * frames to {@code frames}, added last in the pipeline on the event loop. A request that is not a
   * valid WebSocket handshake is answered 400 (426 for an unsupported version) and {@code frames} never
   * sees the connection.
   */
  public Response upgradeToWebSocket(ChannelHandler frames) {
    webSocket = Objects.requireNonNull(frames, "frames");
    return Response.empty(101);
  }

  /** The frame handler a handler accepted the upgrade with, or null. */
  ChannelHandler webSocket() {
    return webSocket;
  }

  /** The Netty request (headers only are used once the body is released): for the handshake. */
  FullHttpRequest netty() {
    return netty;
  }

  @Override
  public String toString() {
    return netty.method() + " " + netty.uri();
  }
}
