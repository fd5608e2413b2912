package io.lodge.server.http;

import io.lodge.server.metrics.HttpMetrics;
import io.lodge.server.tenant.TenantException;
import io.lodge.server.tenant.TenantResolver;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a connection's pipeline (after {@link BodyLimitAggregator}): routes each
 * aggregated request, resolves its tenant, runs the handler and writes the response from the
 * handler's future, back on the event loop.
 *
 * <p>One request per connection is served at a time and the connection does not read meanwhile;
 * pipelined requests already decoded wait in a queue, so responses always leave in request order
 * although handlers finish on other threads. One instance per connection; all fields are touched on its event loop only.
 *
 * <p>Reference counting: this handler owns every {@link FullHttpRequest} it receives. A queued request
 * is released if the connection closes; a dispatched one is released through
 * {@link Request#releaseBody()} (exactly once) when its handler's future completes.
 */
final class RequestDispatcher extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);
  /** Fired at every connection when the server starts draining. */
  static final Object DRAIN = new Object();

  private final Router router;
  private final TenantResolver tenants;
  private final HttpMetrics metrics;
  private final ServerState state;
  private final ArrayDeque<FullHttpRequest> queue = new ArrayDeque<>();
  private boolean busy;

  RequestDispatcher(Router router, TenantResolver tenants, HttpMetrics metrics, ServerState state) {
    this.router = router;
    this.tenants = tenants;
    this.metrics = metrics;
    this.state = state;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest req)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    queue.add(req);
    if (!busy) serveNext(ctx);
  }

  private void serveNext(ChannelHandlerContext ctx) {
    FullHttpRequest req = queue.poll();
    if (req == null) {
      ctx.channel().config().setAutoRead(true);
      if (state.draining()) ctx.close();
      return;
    }
    busy = true;
    // Stop reading while this request is served: a connection holds at most one aggregated body
    // (plus requests already decoded from the last read), so memory stays bounded by the body limit.
    ctx.channel().config().setAutoRead(false);
    state.requestStarted();
    metrics.requestStarted();
    long start = System.nanoTime();
    String method = req.method().name();
    long bytesIn = req.content().readableBytes();

    if (!req.decoderResult().isSuccess()) {
      Response bad = badRequest(req.decoderResult().cause());
      req.release();
      write(ctx, false, req, method, Router.NOT_FOUND_ROUTE, start, bytesIn, bad, true);
      return;
    }

    QueryStringDecoder uri = Request.decodeUri(req.uri());
    Router.Match match = router.match(req.method(), uri.path());
    Response immediate = null;
    String routeName = Router.NOT_FOUND_ROUTE;
    CompletableFuture<Response> future = null;
    Request request = null;
    switch (match) {
      case Router.NotFound n -> immediate = Response.error(404, "404 page not found");
      case Router.MethodNotAllowed m -> {
        routeName = m.routeName();
        String allow = m.allowed().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
        immediate = Response.empty(405).withHeader("Allow", allow);
      }
      case Router.Found f -> {
        Route route = f.route();
        routeName = route.template().toString();
        try {
          List<String> ids = resolveTenants(route.tenantPolicy(), req.headers().get(TenantResolver.HEADER));
          request = new Request(req, uri, f.pathParams(), ids);
          future = route.handler().handle(request);
          if (future == null) throw new IllegalStateException("handler of " + routeName + " returned null");
        } catch (TenantException e) {
          immediate = LokiErrors.toResponse(e, req.uri());
        } catch (RuntimeException | Error e) {
          future = CompletableFuture.failedFuture(e);
        }
      }
    }
    if (future == null) {
      if (request != null) request.releaseBody(); // the handler may have released it already
      else req.release();
      write(ctx, HttpUtil.isKeepAlive(req), req, method, routeName, start, bytesIn, immediate, false);
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    String name = routeName;
    Request served = request;
    future.whenComplete((response, failure) -> {
      served.releaseBody();
      Response r = failure == null && response != null ? response
          : LokiErrors.toResponse(failure != null ? failure
              : new IllegalStateException("handler of " + name + " completed with null"), served);
      Runnable answer = () -> {
        try {
          if (r.status() == 101 && served.webSocket() != null) {
            upgrade(ctx, served, method, name, start, bytesIn);
            return;
          }
          write(ctx, keepAlive, req, method, name, start, bytesIn, r, false);
        } catch (RuntimeException e) {
          // our bug (say, a status Netty refuses): never leave the connection hanging
          log.atError().addKeyValue("request", served).setCause(e).log("cannot write response");
          r.body().release();
          busy = false;
          state.requestFinished();
          metrics.requestFinished(method, name, 500, System.nanoTime() - start, bytesIn, 0);
          ctx.close();
        }
      };
      if (ctx.executor().inEventLoop()) {
        answer.run();
      } else {
        try {
          ctx.executor().execute(answer);
        } catch (RuntimeException e) {
          // the event loop is shut down (forced close): nobody will write this response
          r.body().release();
          state.requestFinished();
          metrics.requestFinished(method, name, 499, System.nanoTime() - start, bytesIn, 0);
        }
      }
    });
  }

  /**
   * The handler accepted a WebSocket upgrade: refuse a bad handshake like gorilla does, or hand the
   * connection over. From then on the connection is no HTTP request in flight; requests pipelined
   * behind the upgrade are dropped (a client may not send any before the 101).
   */
  private void upgrade(ChannelHandlerContext ctx, Request served, String method, String route, long start, long bytesIn) {
    FullHttpRequest req = served.netty();
    Response refused = WebSocketUpgrade.refusal(req);
    if (refused != null) {
      write(ctx, false, req, method, route, start, bytesIn, refused, true);
      return;
    }
    FullHttpRequest queued;
    while ((queued = queue.poll()) != null) queued.release();
    busy = false;
    state.requestFinished();
    metrics.requestFinished(method, route, 101, System.nanoTime() - start, bytesIn, 0);
    WebSocketUpgrade.handshake(ctx.channel(), req, served.webSocket());
  }

  private List<String> resolveTenants(TenantPolicy policy, String rawHeader) {
    // Netty gives header bytes as Latin-1 chars; tenant ids are compared and reported as UTF-8 text
    String header = rawHeader == null ? null
        : new String(rawHeader.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    return switch (policy) {
      case NONE -> List.of();
      case SINGLE -> List.of(tenants.pushTenant(header));
      case MULTI -> tenants.queryTenants(header);
    };
  }

  private void write(ChannelHandlerContext ctx, boolean keepAlive, FullHttpRequest req, String method,
      String route, long start, long bytesIn, Response r, boolean forceClose) {
    int bytesOut = r.body().readableBytes();
    FullHttpResponse res = new DefaultFullHttpResponse(
        req.protocolVersion(), HttpResponseStatus.valueOf(r.status()), r.body());
    if (r.contentType() != null) res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
    for (Map.Entry<String, String> h : r.headers()) res.headers().add(h.getKey(), h.getValue());
    if (r.status() != 204 && r.status() != 304) { // RFC 9110: no Content-Length on 204 (Go sends none)
      res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytesOut);
    }
    boolean close = forceClose || !keepAlive || (state.draining() && queue.isEmpty());
    if (close) res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    metrics.requestFinished(method, route, r.status(), System.nanoTime() - start, bytesIn, bytesOut);
    ctx.writeAndFlush(res).addListener((ChannelFutureListener) f -> {
      busy = false;
      state.requestFinished();
      if (close || !f.isSuccess()) {
        ctx.close();
        return;
      }
      serveNext(ctx);
    });
  }

  private static Response badRequest(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) return Response.error(414, "request URI too long");
    if (cause instanceof TooLongHttpHeaderException) {
      return Response.error(431, "request header fields too large");
    }
    if (cause instanceof TooLongFrameException) return Response.error(400, "request too large");
    return Response.error(400, "malformed HTTP request: " + cause.getMessage());
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == DRAIN || evt instanceof IdleStateEvent) {
      if (!busy && queue.isEmpty()) ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    FullHttpRequest r;
    while ((r = queue.poll()) != null) r.release();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException || cause instanceof PrematureChannelClosureException) {
      // the peer went away mid-request: routine, not our problem
      log.atDebug().addKeyValue("remote", ctx.channel().remoteAddress()).setCause(cause).log("connection error");
    } else {
      log.atWarn().addKeyValue("remote", ctx.channel().remoteAddress()).setCause(cause).log("unexpected error on connection");
    }
    ctx.close();
  }
}
