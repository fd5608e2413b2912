package io.lodge.server.syslog;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP socket's handler: one message per datagram (RFC 5426). Under backpressure the datagram is
 * dropped and counted ({@code lodge_syslog_dropped_messages_total{reason="udp_backpressure"}}):
 * UDP has no way to make the sender wait.
 */
final class SyslogUdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger log = LoggerFactory.getLogger(SyslogUdpHandler.class);

  private final SyslogIngest ingest;
  private final int maxLength;

  SyslogUdpHandler(SyslogIngest ingest, int maxLength) {
    this.ingest = ingest;
    this.maxLength = maxLength;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    if (!packet.content().isReadable()) {
      ingest.invalid(SyslogMetrics.UDP, packet.sender(), "empty datagram");
      return;
    }
    if (packet.content().readableBytes() > maxLength) {
      ingest.invalid(SyslogMetrics.UDP, packet.sender(), "datagram of " + packet.content().readableBytes()
          + " bytes exceeds the limit of " + maxLength);
      return;
    }
    ingest.ingest(SyslogMetrics.UDP, packet.content(), packet.sender(), true);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // a UDP socket error (ICMP unreachable and the like) concerns one datagram: keep the socket open
    log.atWarn().addKeyValue("error", cause.toString()).log("syslog UDP socket error");
  }
}
