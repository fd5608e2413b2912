package io.lodge.server.syslog;

import io.lodge.config.SyslogConfig;
import io.lodge.ingester.PushService;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The syslog receiver: a TCP listener (octet-counted or LF framing per message, a frame limit, an idle
 * timeout) and a UDP socket on Netty NIO event loops, feeding one {@link SyslogBatcher} that pushes
 * through {@link PushService} as the configured tenant. {@link #start()} binds the transports whose
 * port is not -1 (0 picks a free port, see {@link #tcpPort()}); {@link #close()} stops listening, then
 * pushes what is queued.
 */
public final class SyslogServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SyslogServer.class);
  private static final int UDP_RECEIVE_BUFFER = 4 << 20;

  private final SyslogConfig config;
  private final SyslogMetrics metrics;
  private final SyslogBatcher batcher;
  private final SyslogIngest ingest;
  private final ExecutorService resolver;
  private final Set<Channel> paused = ConcurrentHashMap.newKeySet();
  private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel tcp;
  private Channel udp;

  public SyslogServer(SyslogConfig config, PushService service, PrometheusRegistry registry) {
    this(config, service, new SyslogMetrics(registry), Clock.systemUTC());
  }

  SyslogServer(SyslogConfig config, PushService service, SyslogMetrics metrics, Clock clock) {
    this.config = config;
    this.metrics = metrics;
    if (config.maxMessageLength() < 16 || config.maxMessageLength() > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("syslog.max_message_length must be 16 bytes..2GB, got " + config.maxMessageLength());
    }
    ZoneId zone = config.timezone().isEmpty() || config.timezone().equalsIgnoreCase("Local")
        ? ZoneId.systemDefault() : ZoneId.of(config.timezone());
    SyslogLabels labels = SyslogLabels.fromConfig(config.labelMappings(), config.staticLabels());
    this.batcher = new SyslogBatcher(service, config.tenant(), config.batchSize(), config.batchWait(), metrics);
    // one resolver thread with a bounded queue: a flood of new UDP peers drops lookups (the address
    // text stays their name), it never grows memory or delays messages
    this.resolver = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(256),
        new DefaultThreadFactory("lodge-syslog-dns", true), new ThreadPoolExecutor.DiscardPolicy());
    this.ingest = new SyslogIngest(new SyslogParser(zone, clock), labels, batcher, metrics,
        new PeerNames(resolver), config.useIncomingTimestamp(), clock);
    batcher.onResume(this::resumeReading);
  }

  /** Binds the configured transports; does nothing when {@code syslog.enabled} is false. */
  public void start() throws InterruptedException {
    if (!config.enabled()) return;
    boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("lodge-syslog-accept"), NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("lodge-syslog-io"), NioIoHandler.newFactory());
    int maxLength = (int) config.maxMessageLength();
    long idleMillis = config.idleTimeout().toMillis();
    if (config.tcpListenPort() >= 0) {
      tcp = new ServerBootstrap()
          .group(boss, workers)
          .channel(NioServerSocketChannel.class)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              connections.add(ch);
              ch.closeFuture().addListener(f -> connections.remove(ch));
              if (idleMillis > 0) ch.pipeline().addLast(new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS));
              ch.pipeline().addLast(new SyslogFrameDecoder(maxLength), new SyslogTcpHandler(ingest, paused));
            }
          })
          .bind(new InetSocketAddress(config.listenAddress(), config.tcpListenPort())).sync().channel();
    }
    if (config.udpListenPort() >= 0) {
      udp = new Bootstrap()
          .group(workers)
          .channel(NioDatagramChannel.class)
          .option(ChannelOption.SO_RCVBUF, UDP_RECEIVE_BUFFER)
          .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65_536))
          .handler(new SyslogUdpHandler(ingest, maxLength))
          .bind(new InetSocketAddress(config.listenAddress(), config.udpListenPort())).sync().channel();
    }
    log.atInfo().addKeyValue("tcp_port", tcpPort()).addKeyValue("udp_port", udpPort())
        .addKeyValue("tenant", config.tenant()).log("syslog receiver listening");
  }

  /** The bound TCP port, or -1 when TCP is off or not started. */
  public int tcpPort() {
    return tcp == null ? -1 : ((InetSocketAddress) tcp.localAddress()).getPort();
  }

  /** The bound UDP port, or -1 when UDP is off or not started. */
  public int udpPort() {
    return udp == null ? -1 : ((InetSocketAddress) udp.localAddress()).getPort();
  }

  public SyslogMetrics metrics() {
    return metrics;
  }

  /** Entries queued and not yet acknowledged by the push service. */
  public long queued() {
    return batcher.queued();
  }

  private void resumeReading() {
    for (Channel ch : paused) {
      ch.eventLoop().execute(() -> {
        if (paused.remove(ch) && ch.isActive()) {
          ch.config().setAutoRead(true);
          ch.read();
        }
      });
    }
  }

  /** Stops listening and closes connections, then pushes what is queued (up to 10 s). */
  @Override
  public void close() {
    if (tcp != null) tcp.close().awaitUninterruptibly();
    if (udp != null) udp.close().awaitUninterruptibly();
    for (Channel ch : connections) ch.close().awaitUninterruptibly();
    if (boss != null) boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    if (workers != null) workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    batcher.close(Duration.ofSeconds(10));
    resolver.shutdownNow();
  }
}
