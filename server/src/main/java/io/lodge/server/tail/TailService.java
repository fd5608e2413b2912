package io.lodge.server.tail;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.model.UnixNanos;
import io.lodge.ingester.read.LogReader;
import io.lodge.querier.api.BadQueryException;
import io.lodge.querier.logql.ParseException;
import io.lodge.querier.pipeline.Pipeline;
import io.lodge.querier.pipeline.Pipelines;
import io.lodge.server.http.Request;
import io.lodge.server.http.Response;
import io.lodge.server.http.Router;
import io.lodge.server.http.TenantPolicy;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loki's live tail, {@code GET /loki/api/v1/tail} and {@code GET /api/prom/tail} (LOKI-COMPAT 2.7): the
 * parameters and the tenant are checked before the WebSocket upgrade (plain 400), then a
 * {@link TailSession} serves the socket and a {@link Tailer} polls the store on the tail scheduler.
 * Also counts each tenant's open tails for {@code max_concurrent_tail_requests}.
 */
public final class TailService {
  public static final String V1_PATH = "/loki/api/v1/tail";
  public static final String LEGACY_PATH = "/api/prom/tail";
  /** Request header with comma-separated encoding flags (LOKI-COMPAT 2.1.3). */
  static final String ENCODING_FLAGS = "X-Loki-Response-Encoding-Flags";

  private final LogReader reader;
  private final LimitsConfig limits;
  private final ScheduledExecutorService scheduler;
  private final TailSettings settings;
  private final ConcurrentHashMap<String, Integer> active = new ConcurrentHashMap<>();

  /** Loki's defaults ({@link TailSettings#DEFAULTS}). */
  public TailService(LogReader reader, LimitsConfig limits, ScheduledExecutorService scheduler) {
    this(reader, limits, scheduler, TailSettings.DEFAULTS);
  }

  /**
   * @param scheduler runs the parameter checks, the historic reads and every tail's polls; its threads
   *     bound the tails' CPU and disk use (see {@link #newScheduler(int)}); the caller shuts it down
   *     after the HTTP server
   */
  public TailService(LogReader reader, LimitsConfig limits, ScheduledExecutorService scheduler, TailSettings settings) {
    this.reader = reader;
    this.limits = limits;
    this.scheduler = scheduler;
    this.settings = settings;
  }

  /** A scheduler of {@code threads} daemon threads named {@code lodge-tail-N}; cancelled polls leave its queue. */
  public static ScheduledExecutorService newScheduler(int threads) {
    AtomicInteger n = new AtomicInteger();
    ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(threads, r -> {
      Thread t = new Thread(r, "lodge-tail-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    s.setRemoveOnCancelPolicy(true);
    s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    s.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    return s;
  }

  /** Registers both tail paths (GET, one tenant). */
  public void register(Router router) {
    router.add(Set.of(HttpMethod.GET), V1_PATH, TenantPolicy.SINGLE, r -> handle(r, false));
    router.add(Set.of(HttpMethod.GET), LEGACY_PATH, TenantPolicy.SINGLE, r -> handle(r, true));
  }

  /** Validates a tail request off the event loop and accepts the upgrade, or answers 400. */
  CompletableFuture<Response> handle(Request r, boolean legacy) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        TailParams params = TailParams.fromParams(r::param, UnixNanos.now());
        Pipeline pipeline = compile(params);
        TailFrames.Format format = legacy ? TailFrames.Format.LEGACY
            : categorize(r.header(ENCODING_FLAGS)) ? TailFrames.Format.CATEGORIZED : TailFrames.Format.V1;
        return r.upgradeToWebSocket(new TailSession(this, r.tenant(), params, pipeline, format));
      } catch (BadQueryException e) {
        return Response.error(400, e.getMessage());
      } catch (ParseException e) {
        return Response.error(e.status(), e.getMessage());
      } catch (com.google.re2j.PatternSyntaxException e) {
        return Response.error(400, "parse error : " + e.getMessage());
      }
    }, scheduler);
  }

  private static Pipeline compile(TailParams params) {
    try {
      return Pipelines.compile(params.query().stages());
    } catch (UnsupportedOperationException e) {
      // until every stage is evaluated: say so instead of tailing something else than asked
      throw new BadQueryException("log pipeline stages are not evaluated by this Lodge version yet: " + params.query());
    }
  }

  static boolean categorize(String flags) {
    if (flags == null) return false;
    for (String f : flags.split(",")) {
      if (f.trim().toLowerCase(Locale.ROOT).equals("categorize-labels")) return true;
    }
    return false;
  }

  /** Open tails of {@code tenant} (including ones being refused right now). */
  public int activeTails(String tenant) {
    return active.getOrDefault(tenant, 0);
  }

  /** Takes a slot; returns the tenant's count including it. */
  int acquire(String tenant) {
    return active.merge(tenant, 1, Integer::sum);
  }

  void release(String tenant) {
    active.computeIfPresent(tenant, (t, n) -> n <= 1 ? null : n - 1);
  }

  LogReader reader() {
    return reader;
  }

  LimitsConfig limits() {
    return limits;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  TailSettings settings() {
    return settings;
  }

}
