package io.lodge.server.grpc;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.lodge.config.LimitsConfig;
import io.lodge.config.ServerConfig;
import io.lodge.ingester.PushService;
import io.lodge.server.tenant.TenantResolver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lodge's gRPC listener on {@code server.grpc_listen_address:grpc_listen_port} (default 9095; 0 picks a
 * free port): {@code logproto.Pusher} (LOKI-COMPAT 1.12) and the standard {@code grpc.health.v1.Health}
 * service, on grpc-java's Netty transport over the same Netty 4.2 as Lodge's HTTP server.
 * Messages above {@code grpc_server_max_recv_msg_size} are refused by grpc with RESOURCE_EXHAUSTED.
 */
public final class GrpcServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);

  private final ServerConfig config;
  private final PusherService pusher;
  private final HealthStatusManager health = new HealthStatusManager();
  private Server prepared;
  private Server server;

  public GrpcServer(ServerConfig config, LimitsConfig limits, PushService service, TenantResolver tenants) {
    this.config = config;
    this.pusher = new PusherService(service, limits.discoverServiceName(), tenants, config.grpcServerMaxRecvMsgSize());
  }

  /**
   * Builds the server without binding it: grpc-java's first use loads and initialises a few thousand
   * classes, so {@code LodgeServer} calls this on a second thread while it builds the rest. Idempotent;
   * {@link #start()} calls it too.
   */
  public synchronized void prepare() {
    if (prepared != null || server != null) return;
    prepared = NettyServerBuilder.forAddress(new InetSocketAddress(config.grpcListenAddress(), config.grpcListenPort()))
        .maxInboundMessageSize(config.grpcServerMaxRecvMsgSize())
        .addService(ServerInterceptors.intercept(pusher.definition(), new TenantInterceptor()))
        .addService(health.getHealthService())
        .build();
  }

  /**
   * Binds and starts serving; health reports SERVING for the server ({@code ""}) and for
   * {@code logproto.Pusher}.
   *
   * @throws IOException when the address cannot be bound, naming it
   */
  public synchronized GrpcServer start() throws IOException {
    if (server != null) throw new IllegalStateException("gRPC server already started");
    prepare();
    Server s = prepared;
    prepared = null;
    try {
      s.start();
    } catch (IOException e) {
      throw new IOException("cannot listen for gRPC on " + config.grpcListenAddress() + ":"
          + config.grpcListenPort() + ": " + e.getMessage(), e);
    }
    server = s;
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(LogprotoPusher.SERVICE_NAME, ServingStatus.SERVING);
    log.atInfo().addKeyValue("address", config.grpcListenAddress() + ":" + port()).log("gRPC server listening");
    return this;
  }

  /** The bound port: the configured one, or the picked one when the configuration said 0. */
  public int port() {
    if (server == null) throw new IllegalStateException("gRPC server not started");
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  /** Reports NOT_SERVING, stops taking calls, lets in-flight calls finish up to {@code timeout}. */
  public synchronized void close(Duration timeout) {
    if (server == null) return;
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        log.atWarn().addKeyValue("timeout", timeout).log("gRPC calls still running at shutdown; cancelling them");
        server.shutdownNow();
        server.awaitTermination(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    server = null;
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
