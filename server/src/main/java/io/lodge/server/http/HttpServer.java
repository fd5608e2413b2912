package io.lodge.server.http;

import io.lodge.config.ServerConfig;
import io.lodge.server.metrics.HttpMetrics;
import io.lodge.server.tenant.TenantResolver;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lodge's HTTP listener (Netty, NIO). Each connection's pipeline:
 *
 * <pre>
 * IdleStateHandler (close idle keep-alive connections)
 *   -> HttpServerCodec (request line and headers up to 1 MiB, like Go's default)
 *   -> HttpServerKeepAliveHandler (Connection: keep-alive / close, HTTP/1.0)
 *   -> BodyLimitAggregator (one FullHttpRequest, 100-continue, chunked, 413 over the limit)
 *   -> RequestDispatcher (route, tenant, handler, response in request order)
 * </pre>
 *
 * <p>A handler may accept a WebSocket upgrade ({@link Request#upgradeToWebSocket}); the connection then
 * leaves HTTP for good (see {@link WebSocketUpgrade}), no longer counts as a request in flight, and is
 * closed with the others when the server stops.
 *
 * <p>Sized for a small machine: one acceptor thread and a few I/O threads; handlers do their heavy
 * work on executors of their own. {@link #close(Duration)} drains: it stops accepting, lets in-flight
 * requests finish (up to the timeout), closes idle connections, then the event loops.
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
  /** Go's http.DefaultMaxHeaderBytes: the request line and the headers each stay under it. */
  private static final int MAX_HEADER_BYTES = 1 << 20;
  /** Loki's default {@code http_server_idle_timeout}. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);
  /** Pipeline names of the HTTP-only handlers a WebSocket upgrade removes ({@link WebSocketUpgrade}). */
  static final String IDLE = "idle", KEEP_ALIVE = "keepAlive", DISPATCHER = "dispatcher";

  private final ServerConfig config;
  private final Router router;
  private final TenantResolver tenants;
  private final HttpMetrics metrics;
  private final int ioThreads;
  private final Duration idleTimeout;
  private final ServerState state = new ServerState();
  private final AtomicLong accepted = new AtomicLong();
  private final ChannelGroup connections = new DefaultChannelGroup("lodge-http", GlobalEventExecutor.INSTANCE);
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel serverChannel;

  /** A server with two I/O threads and the default idle timeout. */
  public HttpServer(ServerConfig config, Router router, TenantResolver tenants, HttpMetrics metrics) {
    this(config, router, tenants, metrics, 2, DEFAULT_IDLE_TIMEOUT);
  }

  public HttpServer(ServerConfig config, Router router, TenantResolver tenants, HttpMetrics metrics,
      int ioThreads, Duration idleTimeout) {
    this.config = config;
    this.router = router;
    this.tenants = tenants;
    this.metrics = metrics;
    this.ioThreads = ioThreads;
    this.idleTimeout = idleTimeout;
  }

  /**
   * Binds {@code httpListenAddress:httpListenPort} (port 0 picks a free port, see {@link #port()}).
   *
   * @throws IOException when the address cannot be bound (in use, no permission), naming it
   */
  public synchronized HttpServer start() throws IOException, InterruptedException {
    if (serverChannel != null) throw new IllegalStateException("HTTP server already started");
    int bodyLimit = (int) Math.min(Integer.MAX_VALUE, config.maxRequestBodySize());
    boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("lodge-http-accept"), NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("lodge-http-io"), NioIoHandler.newFactory());
    ServerBootstrap b = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            accepted.incrementAndGet();
            metrics.connectionAccepted();
            if (state.draining()) {
              ch.close();
              return;
            }
            connections.add(ch);
            HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_HEADER_BYTES)
                .setMaxHeaderSize(MAX_HEADER_BYTES);
            ch.pipeline()
                .addLast(IDLE, new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS))
                .addLast("codec", new HttpServerCodec(decoder))
                .addLast(KEEP_ALIVE, new HttpServerKeepAliveHandler())
                .addLast("aggregator", new BodyLimitAggregator(bodyLimit, router, metrics))
                .addLast(DISPATCHER, new RequestDispatcher(router, tenants, metrics, state));
          }
        });
    ChannelFuture bound = b.bind(config.httpListenAddress(), config.httpListenPort()).await();
    if (!bound.isSuccess()) {
      boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw new IOException("cannot listen for HTTP on " + config.httpListenAddress() + ":"
          + config.httpListenPort() + ": " + bound.cause().getMessage(), bound.cause());
    }
    serverChannel = bound.channel();
    log.atInfo().addKeyValue("address", address()).log("HTTP server listening");
    return this;
  }

  /** The bound address (after {@link #start()}). */
  public InetSocketAddress address() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** The bound port: the configured one, or the picked one when the configuration said 0. */
  public int port() {
    return address().getPort();
  }

  /** Connections accepted since start. */
  public long connectionsAccepted() {
    return accepted.get();
  }

  /** Requests being served right now. */
  public int requestsInFlight() {
    return state.inFlight();
  }

  /** Drains and stops with a 30 s budget for in-flight requests. */
  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  /**
   * Stops accepting, lets requests in flight finish for up to {@code timeout} (their connections close
   * after the response), closes idle keep-alive connections at once, then shuts the event loops down.
   */
  public synchronized void close(Duration timeout) {
    if (serverChannel == null) return;
    try {
      serverChannel.close().syncUninterruptibly();
      state.startDraining();
      for (Channel ch : connections) ch.pipeline().fireUserEventTriggered(RequestDispatcher.DRAIN);
      if (!state.awaitIdle(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        log.atWarn().addKeyValue("in_flight", state.inFlight()).addKeyValue("timeout", timeout)
            .log("HTTP requests still in flight at shutdown; closing their connections");
      }
      connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      connections.close();
    } finally {
      boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
      serverChannel = null;
      log.info("HTTP server stopped");
    }
  }
}
