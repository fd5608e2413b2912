package io.lodge.server;

import io.lodge.config.ConfigRenderer;
import io.lodge.config.LodgeConfig;
import io.lodge.ingester.Ingester;
import io.lodge.ingester.StartupTask;
import io.lodge.ingester.push.PushBodyDecoder;
import io.lodge.ingester.read.LogReader;
import io.lodge.querier.api.MultiTenantReader;
import io.lodge.server.elasticsearch.ElasticsearchHandler;
import io.lodge.server.grpc.GrpcServer;
import io.lodge.server.http.BlockingWorkers;
import io.lodge.server.http.BuildInfoHandler;
import io.lodge.server.http.ConfigHandler;
import io.lodge.server.http.FlushHandler;
import io.lodge.server.http.HttpServer;
import io.lodge.server.http.LogLevelHandler;
import io.lodge.server.http.MetricsHandler;
import io.lodge.server.http.PushHandler;
import io.lodge.server.http.ReadyHandler;
import io.lodge.server.http.Router;
import io.lodge.server.http.ServiceRegistry;
import io.lodge.server.http.ServiceState;
import io.lodge.server.http.ServicesHandler;
import io.lodge.server.metrics.HttpMetrics;
import io.lodge.server.otlp.OtlpLogsHandler;
import io.lodge.server.query.DetectedHandlers;
import io.lodge.server.query.FormatQueryHandler;
import io.lodge.server.query.LegacyQueryHandlers;
import io.lodge.server.query.PatternsHandler;
import io.lodge.server.query.QueryHandlers;
import io.lodge.server.query.VolumeHandler;
import io.lodge.server.syslog.SyslogServer;
import io.lodge.server.tail.TailService;
import io.lodge.server.tenant.TenantResolver;
import io.netty.buffer.ByteBufAllocator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole Lodge process: the storage engine, the HTTP server and its routes. {@link #start()} binds
 * HTTP first (so {@code /ready} answers 503 while the WAL replays), then replays and opens for writes.
 */
public final class LodgeServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LodgeServer.class);
  private static final String INGESTER = "ingester";
  private static final String SERVER = "server";

  private final LodgeConfig config;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ServiceRegistry services = new ServiceRegistry();
  private final Ingester ingester;
  private final BlockingWorkers pushWorkers;
  private final BlockingWorkers queryWorkers;
  private final ScheduledExecutorService tailScheduler;
  private final HttpServer http;
  private final GrpcServer grpc;
  private final StartupTask grpcPrepared;
  private final SyslogServer syslog;

  public LodgeServer(LodgeConfig config) {
    this.config = config;
    services.register(SERVER);
    services.register(INGESTER);
    StartupTask jvmMetrics = StartupTask.start("lodge-jvm-metrics", () -> HttpMetrics.registerJvmMetrics(registry));
    // Netty's first use (its platform probes, cleaner and allocator: ~0.1 s in a fresh JVM) needs nothing
    // of ours: on a second thread while the ingester opens, instead of on the way to the push handlers.
    // Both are joined right after the ingester (closed again when one failed), before anything else
    // that owns threads is built.
    StartupTask nettyReady = StartupTask.start("lodge-netty-init", () -> ByteBufAllocator.DEFAULT.buffer(1).release());
    this.ingester = new Ingester(config, registry);
    try {
      jvmMetrics.join();
      nettyReady.join();
    } catch (RuntimeException | Error e) {
      ingester.close();
      throw e;
    }
    TenantResolver tenants = new TenantResolver(config.authEnabled(), config.multiTenantQueriesEnabled());
    this.grpc = new GrpcServer(config.server(), config.limits(), ingester.pushService(), tenants);
    this.grpcPrepared = StartupTask.start("lodge-grpc-build", grpc::prepare);
    int cores = Runtime.getRuntime().availableProcessors();
    this.pushWorkers = new BlockingWorkers("push", Math.max(2, cores), 1024);
    this.queryWorkers = new BlockingWorkers("query", Math.max(2, cores), 256);
    this.tailScheduler = TailService.newScheduler(Math.max(2, cores / 2));
    Router router = new Router();
    new PushHandler(new PushBodyDecoder(config.limits(), config.server().maxRequestBodySize()),
        ingester.pushService(), pushWorkers).register(router);
    new OtlpLogsHandler(ingester.pushService(), config.limits(), config.distributor(), config.server().maxRequestBodySize(),
        pushWorkers)
        .register(router);
    new ElasticsearchHandler(config.elasticsearch(), ingester.pushService(), config.server().maxRequestBodySize(),
        pushWorkers).register(router);
    new ReadyHandler(this::notReadyReason).register(router);
    new MetricsHandler(registry).register(router);
    new BuildInfoHandler(BuildInfoHandler.BuildInfo.current()).register(router);
    new ConfigHandler(mode -> ConfigRenderer.render(config, ConfigRenderer.Mode.fromQueryParam(mode))).register(router);
    new ServicesHandler(services).register(router);
    new LogLevelHandler().register(router);
    new FlushHandler(ingester::flushAll, queryWorkers).register(router);
    new QueryHandlers(ingester.reader(), config.limits(), queryWorkers).register(router);
    // the other query endpoints read several tenants too when multi-tenant queries are on
    LogReader tenantsReader = new MultiTenantReader(ingester.reader());
    new VolumeHandler(tenantsReader, config.limits(), queryWorkers).register(router);
    new DetectedHandlers(tenantsReader, config.limits(), queryWorkers).register(router);
    new PatternsHandler(tenantsReader, config.limits(), queryWorkers).register(router);
    new FormatQueryHandler().register(router);
    new LegacyQueryHandlers(tenantsReader, config.limits(), queryWorkers).register(router);
    new TailService(ingester.reader(), config.limits(), tailScheduler).register(router);
    this.http = new HttpServer(config.server(), router, tenants, new HttpMetrics(registry));
    this.syslog = new SyslogServer(config.syslog(), ingester.pushService(), registry);
  }

  private String notReadyReason() {
    String services = this.services.notReadyReason();
    if (services != null) return services;
    return ingester.state().isReady() ? null : ingester.state().reason();
  }

  /** Binds HTTP, replays the WAL and opens for writes; returns when ready. */
  public void start() throws IOException, InterruptedException {
    services.set(SERVER, ServiceState.Starting);
    http.start();
    // gRPC's first start loads a lot of classes: overlap it with the WAL replay
    CompletableFuture<Void> grpcStarted = CompletableFuture.runAsync(() -> {
      try {
        grpcPrepared.join();
        grpc.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    services.set(INGESTER, ServiceState.Starting);
    try {
      ingester.start();
    } catch (RuntimeException e) {
      services.set(INGESTER, ServiceState.Failed);
      throw e;
    }
    try {
      grpcStarted.join();
    } catch (CompletionException e) {
      services.set(SERVER, ServiceState.Failed);
      if (e.getCause() instanceof UncheckedIOException io) throw io.getCause();
      throw e;
    }
    services.set(SERVER, ServiceState.Running);
    services.set(INGESTER, ServiceState.Running);
    syslog.start();
    log.atInfo().addKeyValue("http_port", http.port()).addKeyValue("data", config.pathPrefix().toAbsolutePath())
        .addKeyValue("auth_enabled", config.authEnabled()).log("Lodge is ready");
  }

  public int httpPort() {
    return http.port();
  }

  public int grpcPort() {
    return grpc.port();
  }

  /** The syslog receiver (its ports are -1 while it is switched off). */
  public SyslogServer syslog() {
    return syslog;
  }

  public Ingester ingester() {
    return ingester;
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** Stops accepting requests, finishes in-flight ones, syncs and closes the WAL and the index. */
  @Override
  public void close() {
    services.set(SERVER, ServiceState.Stopping);
    http.close(Duration.ofSeconds(10));
    grpc.close(Duration.ofSeconds(10));
    // tails poll the store: stop them before the index closes
    tailScheduler.shutdownNow();
    try {
      tailScheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    services.set(SERVER, ServiceState.Terminated);
    pushWorkers.close();
    queryWorkers.close();
    syslog.close(); // pushes what it still holds, so before the ingester
    services.set(INGESTER, ServiceState.Stopping);
    ingester.close();
    services.set(INGESTER, ServiceState.Terminated);
  }
}
