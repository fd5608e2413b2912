package io.lodge.server.syslog;

import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.UnixNanos;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What TCP and UDP handlers share: one frame in, parsed, labelled, timestamped and queued on the
 * {@link SyslogBatcher}; a bad frame counted and logged with its peer (at most once a second, with
 * the number suppressed since), never thrown, so a connection survives it.
 */
final class SyslogIngest {
  private static final Logger log = LoggerFactory.getLogger(SyslogIngest.class);

  private final SyslogParser parser;
  private final SyslogLabels labels;
  private final SyslogBatcher batcher;
  private final SyslogMetrics metrics;
  private final PeerNames peerNames;
  private final boolean useIncomingTimestamp;
  private final Clock clock;
  private final AtomicLong lastInvalidLog = new AtomicLong();
  private final AtomicLong suppressed = new AtomicLong();

  SyslogIngest(SyslogParser parser, SyslogLabels labels, SyslogBatcher batcher, SyslogMetrics metrics,
      PeerNames peerNames, boolean useIncomingTimestamp, Clock clock) {
    this.parser = parser;
    this.labels = labels;
    this.batcher = batcher;
    this.metrics = metrics;
    this.peerNames = peerNames;
    this.useIncomingTimestamp = useIncomingTimestamp;
    this.clock = clock;
  }

  SyslogBatcher batcher() {
    return batcher;
  }

  SyslogMetrics metrics() {
    return metrics;
  }

  /**
   * Parses and queues one message. Returns false only when UDP's {@code dropWhenSaturated} dropped it
   * (a bad frame is counted here and returns true: there is nothing to retry).
   */
  boolean ingest(String transport, ByteBuf frame, InetSocketAddress peer, boolean dropWhenSaturated) {
    byte[] bytes;
    int off;
    int len = frame.readableBytes();
    if (frame.hasArray()) {
      bytes = frame.array();
      off = frame.arrayOffset() + frame.readerIndex();
    } else {
      bytes = ByteBufUtil.getBytes(frame);
      off = 0;
    }
    SyslogMessage m;
    try {
      m = parser.parse(bytes, off, len);
    } catch (SyslogParseException e) {
      String sample = new String(bytes, off, Math.min(len, 64), StandardCharsets.UTF_8);
      invalid(transport, peer, e.getMessage() + " (message starts '" + sample + "')");
      return true;
    }
    String ip = peer == null || peer.getAddress() == null ? null : peer.getAddress().getHostAddress();
    String host = peer == null || peer.getAddress() == null ? null : peerNames.nameOf(peer.getAddress());
    LabelSet stream = labels.streamLabels(m, ip, host);
    long ts = useIncomingTimestamp && m.hasTimestamp() ? m.timestampNanos() : nowNanos();
    LogEntry entry = LogEntry.of(ts, m.message(), SyslogLabels.metadata(m));
    if (!batcher.offer(stream, entry, dropWhenSaturated)) {
      metrics.dropped("udp_backpressure", 1);
      return false;
    }
    metrics.received(transport);
    return true;
  }

  /** Counts and (rate-limited) logs a frame that is not a syslog message. */
  void invalid(String transport, InetSocketAddress peer, String reason) {
    metrics.invalid(transport);
    long now = System.currentTimeMillis();
    long last = lastInvalidLog.get();
    if (now - last >= 1_000 && lastInvalidLog.compareAndSet(last, now)) {
      log.atWarn().addKeyValue("transport", transport).addKeyValue("peer", peer)
          .addKeyValue("suppressed", suppressed.getAndSet(0)).addKeyValue("error", reason)
          .log("invalid syslog message");
    } else {
      suppressed.incrementAndGet();
    }
  }

  private long nowNanos() {
    return UnixNanos.of(clock.instant());
  }
}
