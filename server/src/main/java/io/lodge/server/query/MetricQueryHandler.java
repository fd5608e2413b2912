package io.lodge.server.query;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.model.UnixNanos;
import io.lodge.ingester.read.LogReader;
import io.lodge.querier.api.BadQueryException;
import io.lodge.querier.api.MultiTenantReader;
import io.lodge.querier.api.QueryStats;
import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ParseException;
import io.lodge.querier.logql.ast.Expr;
import io.lodge.querier.logql.ast.SampleExpr;
import io.lodge.querier.metric.MetricEngine;
import io.lodge.querier.metric.MetricEvaluationException;
import io.lodge.querier.metric.MetricJson;
import io.lodge.querier.metric.MetricQueryParams;
import io.lodge.querier.metric.MetricResult;
import io.lodge.server.http.HttpStatusException;
import io.lodge.server.http.Request;
import io.lodge.server.http.Response;
import io.lodge.server.http.Router;
import io.lodge.server.http.TenantPolicy;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Metric queries on {@code /loki/api/v1/query_range} (matrix) and {@code /loki/api/v1/query} (vector or
 * scalar), LOKI-COMPAT 2.2, 2.3 and 2.4.3: parameters validated in Loki's order, the query evaluated by
 * {@link MetricEngine}, errors answered as plain text with Loki's status (400 for bad parameters, parse
 * errors, the series limit and pipeline errors; 500 for ambiguous vector matches). The methods block:
 * call them on a query worker, never on the event loop.
 */
public final class MetricQueryHandler {
  private static final Set<HttpMethod> GET_POST = Set.of(HttpMethod.GET, HttpMethod.POST);

  private final MetricEngine engine;
  private final LimitsConfig limits;

  public MetricQueryHandler(LogReader reader, LimitsConfig limits) {
    // wrapping twice (QueryHandlers passes a MultiTenantReader) is harmless: the inner one sees one tenant
    this.engine = new MetricEngine(new MultiTenantReader(reader), limits.maxQuerySeries(), limits.queryTimeout());
    this.limits = limits;
  }

  /**
   * Registers both endpoints on {@code router}, running on {@code workers}. For a server where this
   * handler owns the two paths; {@code QueryHandlers} delegates to {@link #queryRange} and {@link #instant}
   * instead when it owns them.
   */
  public void register(Router router, Executor workers) {
    router.add(GET_POST, "/loki/api/v1/query_range", TenantPolicy.MULTI, r -> async(r, this::queryRange, workers));
    router.add(GET_POST, "/loki/api/v1/query", TenantPolicy.MULTI, r -> async(r, this::instant, workers));
  }

  private static CompletableFuture<Response> async(Request r, Function<Request, Response> h, Executor workers) {
    return CompletableFuture.supplyAsync(() -> h.apply(r), workers);
  }

  /** {@code query_range} for a metric query: a matrix. Never throws for a bad request; answers it. */
  public Response queryRange(Request r) {
    return answer(() -> {
      MetricQueryParams p = MetricQueryParams.range(r::param, limits, UnixNanos.now());
      SampleExpr expr = sampleExpr(LogqlParser.parse(p.query()), false);
      return evaluate(r, expr, p);
    });
  }

  /** {@code query} (instant): a vector, or a scalar for a pure literal. Log queries are refused as Loki does. */
  public Response instant(Request r) {
    return answer(() -> {
      MetricQueryParams p = MetricQueryParams.instant(r::param, UnixNanos.now());
      SampleExpr expr = sampleExpr(LogqlParser.parse(p.query()), true);
      return evaluate(r, expr, p);
    });
  }

  private Response evaluate(Request r, SampleExpr expr, MetricQueryParams p) {
    QueryStats stats = new QueryStats();
    MetricResult result = engine.evaluate(tenant(r), expr, p.grid(), p.instant(), stats);
    return Response.json(200, MetricJson.render(result, stats));
  }

  private static SampleExpr sampleExpr(Expr e, boolean instant) {
    if (e instanceof SampleExpr s) return s;
    if (instant) {
      throw new BadQueryException(
          "log queries are not supported as an instant query type, please change your query to a range query type");
    }
    throw new IllegalArgumentException("not a metric query: " + e);
  }

  private interface Body {
    Response get();
  }

  private static Response answer(Body body) {
    try {
      return body.get();
    } catch (BadQueryException e) {
      return Response.error(400, e.getMessage());
    } catch (ParseException e) {
      return Response.error(e.status(), e.getMessage());
    } catch (com.google.re2j.PatternSyntaxException e) {
      return Response.error(400, "parse error : " + e.getMessage());
    } catch (MetricEvaluationException e) {
      return Response.error(e.status(), e.getMessage());
    } catch (HttpStatusException e) {
      return Response.error(e.status(), e.getMessage());
    } catch (UnsupportedOperationException e) {
      // the log pipeline does not evaluate every stage yet
      return Response.error(400, e.getMessage());
    }
  }


  /**
   * The request's tenants joined by {@code |}: several tenants work when the engine's reader is a
   * {@code MultiTenantReader} (as {@code QueryHandlers} builds it); the router lets several through only
   * when multi-tenant queries are enabled.
   */
  private static String tenant(Request r) {
    return MultiTenantReader.join(r.tenants());
  }
}
