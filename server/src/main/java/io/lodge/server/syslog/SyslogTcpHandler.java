package io.lodge.server.syslog;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection's handler, after {@link SyslogFrameDecoder}: queues each message, counts bad
 * frames, stops reading while the batcher is saturated (the channel joins {@code paused}; the server
 * resumes it when the queue drains), and closes the connection after the idle timeout unless it is
 * paused by us.
 */
final class SyslogTcpHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(SyslogTcpHandler.class);

  private final SyslogIngest ingest;
  private final Set<Channel> paused;
  private InetSocketAddress peer;

  SyslogTcpHandler(SyslogIngest ingest, Set<Channel> paused) {
    this.ingest = ingest;
    this.paused = paused;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    peer = (InetSocketAddress) ctx.channel().remoteAddress();
    ingest.metrics().connectionOpened();
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    ingest.metrics().connectionClosed();
    paused.remove(ctx.channel());
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof SyslogFrameDecoder.InvalidFrame bad) {
      ingest.invalid(SyslogMetrics.TCP, peer, bad.reason());
      return;
    }
    ByteBuf frame = (ByteBuf) msg;
    try {
      ingest.ingest(SyslogMetrics.TCP, frame, peer, false);
    } finally {
      frame.release();
    }
    if (ingest.batcher().saturated() && ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(false);
      paused.add(ctx.channel());
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      if (paused.contains(ctx.channel())) return; // quiet because we stopped reading, not the peer
      log.atDebug().addKeyValue("peer", peer).log("closing idle syslog connection");
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      log.atDebug().addKeyValue("peer", peer).addKeyValue("error", cause.toString()).log("syslog connection error");
    } else {
      log.atWarn().addKeyValue("peer", peer).setCause(cause).log("syslog connection failed");
    }
    ctx.close();
  }
}
