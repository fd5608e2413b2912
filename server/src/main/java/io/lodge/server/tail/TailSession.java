package io.lodge.server.tail;

import io.lodge.ingester.model.UnixNanos;
import io.lodge.querier.pipeline.Pipeline;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upgraded tail connection (the last handler of its pipeline, after the WebSocket codec): takes a
 * concurrency slot of the tenant, pings every second, closes after the maximum duration, runs its
 * {@link Tailer} on the tail scheduler, and answers the client's close and ping frames. Closing the
 * socket, from either side, cancels everything and gives the slot back.
 *
 * <p>Errors after the upgrade are close frames with 1011 and the message as reason (LOKI-COMPAT 2.7).
 * Event-loop methods only; the tailer runs elsewhere and only writes frames.
 */
final class TailSession extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(TailSession.class);
  static final String MAX_DURATION_REASON = "reached tail max duration limit";

  private final TailService service;
  private final String tenant;
  private final TailParams params;
  private final Pipeline pipeline;
  private final TailFrames.Format format;
  private final long openNanos = UnixNanos.now();
  private boolean holdsSlot;
  private volatile boolean stopped;
  private ScheduledFuture<?> ping;
  private ScheduledFuture<?> deadline;
  private ScheduledFuture<?> poller;
  private Tailer tailer;

  TailSession(TailService service, String tenant, TailParams params, Pipeline pipeline,
      TailFrames.Format format) {
    this.service = service;
    this.tenant = tenant;
    this.params = params;
    this.pipeline = pipeline;
    this.format = format;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) return;
    int limit = service.limits().maxConcurrentTailRequests();
    int count = service.acquire(tenant);
    holdsSlot = true;
    if (limit > 0 && count > limit) {
      closeWith(ctx, "max concurrent tail requests limit exceeded, count > limit (" + count + " > " + limit + ")");
      return;
    }
    int maxEntries = service.limits().maxEntriesLimitPerQuery();
    if (maxEntries > 0 && params.limit() > maxEntries) {
      closeWith(ctx, "max entries limit per query exceeded, limit > max_entries_limit_per_query ("
          + params.limit() + " > " + maxEntries + ")");
      return;
    }
    TailSettings s = service.settings();
    long pingMs = s.pingInterval().toMillis();
    ping = ctx.executor().scheduleAtFixedRate(() -> {
      // a client that does not read gets no pile of pings either
      if (ctx.channel().isWritable()) ctx.writeAndFlush(new PingWebSocketFrame());
    }, pingMs, pingMs, TimeUnit.MILLISECONDS);
    deadline = ctx.executor().schedule(() -> closeWith(ctx, MAX_DURATION_REASON),
        s.maxDuration().toNanos(), TimeUnit.NANOSECONDS);
    tailer = new Tailer(service.reader(), tenant, params, pipeline, format, s, ctx.channel(), UnixNanos::now,
        openNanos);
    try {
      poller = service.scheduler().scheduleWithFixedDelay(() -> runSafely(ctx), 0,
          s.pollInterval().toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      closeWith(ctx, "tail scheduler is shut down");
    }
  }

  private void runSafely(ChannelHandlerContext ctx) {
    try {
      tailer.run();
    } catch (RuntimeException e) {
      if (stopped || !ctx.channel().isActive()) {
        // the tail ended while this poll ran (server shutting down, store closing): nobody to tell
        log.atDebug().addKeyValue("tenant", tenant).setCause(e).log("tail poll failed after the tail ended");
        throw e;
      }
      log.atError().addKeyValue("tenant", tenant).addKeyValue("query", params.query()).setCause(e).log("tail failed");
      ctx.executor().execute(() -> closeWith(ctx, e.getMessage() != null ? e.getMessage() : e.getClass().getName()));
      throw e; // ends the periodic task
    }
  }

  /** Sends a 1011 close frame with {@code reason} and closes the connection once it is written. */
  private void closeWith(ChannelHandlerContext ctx, String reason) {
    stop();
    if (!ctx.channel().isActive()) return;
    ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INTERNAL_SERVER_ERROR, reason))
        .addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      switch (msg) {
        case CloseWebSocketFrame close -> {
          // echo the code (RFC 6455 5.5.1) and end the tail
          stop();
          int code = close.statusCode() > 0 ? close.statusCode() : WebSocketCloseStatus.NORMAL_CLOSURE.code();
          ctx.writeAndFlush(new CloseWebSocketFrame(code, "")).addListener(ChannelFutureListener.CLOSE);
        }
        case PingWebSocketFrame p -> ctx.writeAndFlush(new PongWebSocketFrame(p.content().retain()));
        default -> { } // Loki reads and ignores whatever else the client sends
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    stop();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stop();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      log.atDebug().addKeyValue("remote", ctx.channel().remoteAddress()).setCause(cause).log("tail connection error");
    } else {
      log.atWarn().addKeyValue("remote", ctx.channel().remoteAddress()).setCause(cause).log("unexpected error on tail connection");
    }
    stop();
    ctx.close();
  }

  /** Cancels the timers and the poller and gives the concurrency slot back; idempotent. */
  private void stop() {
    if (stopped) return;
    stopped = true;
    if (ping != null) ping.cancel(false);
    if (deadline != null) deadline.cancel(false);
    if (poller != null) poller.cancel(false);
    if (tailer != null) tailer.cancel();
    if (holdsSlot) {
      holdsSlot = false;
      service.release(tenant);
    }
  }
}
