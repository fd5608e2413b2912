package io.lodge.server.http;

import io.lodge.server.metrics.HttpMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Sits after the codec and keep-alive handler: aggregates a request (chunked or not, answering
 * {@code Expect: 100-continue}) into one {@code FullHttpRequest} of at most the configured size.
 * Netty's own aggregator answers an oversized body with an empty 413; this one says which limit was hit,
 * in Loki's plain-text error form. Like Netty it keeps the connection when the body can still be
 * skipped (a declared Content-Length, keep-alive) and closes it when body bytes already arrived or a
 * 100-continue was refused.
 */
final class BodyLimitAggregator extends HttpObjectAggregator {
  private final int limit;
  private final Router router;
  private final HttpMetrics metrics;

  BodyLimitAggregator(int limit, Router router, HttpMetrics metrics) {
    super(limit);
    this.limit = limit;
    this.router = router;
    this.metrics = metrics;
  }

  /** The 413 body; also what tests compare against. */
  static String tooLargeMessage(long limit) {
    return "request body too large: the limit is " + limit + " bytes (server.http_server_max_request_body_size)";
  }

  @Override
  protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
    if (answer instanceof FullHttpResponse r && r.status().code() == 413) {
      // Expect: 100-continue with a Content-Length over the limit: refuse before the body is sent.
      // The client may or may not send the body anyway, so the decoder cannot tell where the next
      // request starts: close the connection after the answer (Go's server does the same).
      r.release();
      record(start);
      return tooLarge(true);
    }
    return answer;
  }

  @Override
  protected boolean closeAfterContinueResponse(Object msg) {
    return msg instanceof HttpResponse r && r.status().code() == 413 || super.closeAfterContinueResponse(msg);
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
    if (!(oversized instanceof HttpRequest)) {
      super.handleOversizedMessage(ctx, oversized);
      return;
    }
    record(oversized);
    // A FullHttpMessage here means body bytes were already being aggregated: the rest of the body is
    // still on the wire and the connection cannot be reused.
    boolean close = oversized instanceof FullHttpMessage
        || !ctx.channel().config().isAutoRead()
        || (!HttpUtil.is100ContinueExpected(oversized) && !HttpUtil.isKeepAlive(oversized));
    if (close) {
      ctx.writeAndFlush(tooLarge(true)).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.writeAndFlush(tooLarge(false)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
  }

  private void record(HttpMessage m) {
    if (m instanceof HttpRequest req) {
      String path = Request.decodeUri(req.uri()).path();
      metrics.observe(req.method().name(), router.routeName(req.method(), path), 413, 0, 0, 0);
    }
  }

  private FullHttpResponse tooLarge(boolean close) {
    byte[] body = (tooLargeMessage(limit) + "\n").getBytes(StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, Response.TEXT_PLAIN);
    r.headers().set("X-Content-Type-Options", "nosniff");
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    if (close) r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return r;
  }
}
