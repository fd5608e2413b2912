package io.lodge.server.query;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.read.IndexStats;
import io.lodge.ingester.read.LogReader;
import io.lodge.querier.api.Deadline;
import io.lodge.querier.api.MultiTenantReader;
import io.lodge.querier.api.LogQueryExecutor;
import io.lodge.querier.api.LogQueryParams;
import io.lodge.querier.api.QueryLimits;
import io.lodge.querier.api.QueryRangeParams;
import io.lodge.querier.api.TimeRange;
import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ParseException;
import io.lodge.querier.logql.SelectorRule;
import io.lodge.querier.logql.ast.Expr;
import io.lodge.querier.logql.ast.LogQuery;
import io.lodge.querier.logql.ast.StreamSelector;
import io.lodge.server.http.Request;
import io.lodge.server.http.Response;
import io.lodge.server.http.Router;
import io.lodge.server.http.TenantPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The Loki query endpoints over the store's read API (LOKI-COMPAT 2.2 to 2.8): log range queries with
 * their pipelines, metric queries (range and instant), label names and values, series and index stats;
 * several tenants at once when multi-tenant queries are on (LOKI-COMPAT 1.2), and {@code query_timeout}.
 * Work runs on the query workers,
 * never on the event loop.
 */
public final class QueryHandlers {
  private final LogReader reader;
  private final LimitsConfig limits;
  private final Executor workers;
  private final LogQueryExecutor executor = new LogQueryExecutor();
  private final MetricQueryHandler metric;

  /**
   * {@code reader} is the store's; it is wrapped in a {@link MultiTenantReader} so that a query route
   * with several tenants (the router allows that only when {@code multi_tenant_queries_enabled} is on)
   * reads them all and labels the results with {@code __tenant_id__}.
   */
  public QueryHandlers(LogReader reader, LimitsConfig limits, Executor workers) {
    this.reader = new MultiTenantReader(reader);
    this.limits = limits;
    this.workers = workers;
    this.metric = new MetricQueryHandler(this.reader, limits);
  }

  public void register(Router router) {
    router.add(HandlerSupport.GET_POST, "/loki/api/v1/query_range", TenantPolicy.MULTI, r -> async(r, this::queryRange));
    router.add(HandlerSupport.GET_POST, "/loki/api/v1/query", TenantPolicy.MULTI, r -> async(r, this::instantQuery));
    router.add(HandlerSupport.GET_POST, "/loki/api/v1/labels", TenantPolicy.MULTI, r -> async(r, this::labels));
    router.add(HandlerSupport.GET_POST, "/loki/api/v1/label", TenantPolicy.MULTI, r -> async(r, this::labels));
    router.add(HandlerSupport.GET_POST, "/loki/api/v1/label/{name}/values", TenantPolicy.MULTI, r -> async(r, this::labelValues));
    router.add(HandlerSupport.GET_POST, "/loki/api/v1/series", TenantPolicy.MULTI, r -> async(r, this::series));
    router.add(HandlerSupport.GET_POST, "/loki/api/v1/index/stats", TenantPolicy.MULTI, r -> async(r, this::indexStats));
  }

  private CompletableFuture<Response> async(Request r, Function<Request, Response> handler) {
    return HandlerSupport.async(r, workers, handler);
  }

  private Response queryRange(Request r) {
    // Loki's validation order: range, limit, direction, step, points, interval, then the query and limits
    QueryRangeParams p = QueryRangeParams.fromParams(r::param, HandlerSupport.now());
    QueryLimits checks = new QueryLimits(limits);
    Deadline deadline = checks.deadline();
    Expr expr = LogqlParser.parse(p.query());
    checkBytesRead(r, expr, p.range(), checks);
    if (!(expr instanceof LogQuery q)) return metric.queryRange(r);
    checks.checkEntries(p.limit());
    checks.checkQueryLength(p.range());
    LogQueryParams logParams = new LogQueryParams(p.query(), p.range(), p.limit(), p.direction());
    boolean categorize = LogQueryExecutor.categorizeLabels(r.header("X-Loki-Response-Encoding-Flags"));
    return Response.json(200, executor.execute(reader, HandlerSupport.tenant(r), q, logParams, categorize, p.intervalNanos(),
        deadline));
  }

  /**
   * {@code max_query_bytes_read}: like Loki's frontend, estimates from the index what the query's selectors
   * would read over the range (raw line and metadata bytes) and refuses it before reading any data.
   */
  private void checkBytesRead(Request r, Expr expr, TimeRange range, QueryLimits checks) {
    if (limits.maxQueryBytesRead() <= 0) return;
    long bytes = 0;
    for (StreamSelector s : SelectorRule.selectors(expr)) {
      bytes += reader.stats(HandlerSupport.tenant(r), s.matchers(), range.startNanos(), range.endNanos()).bytes();
    }
    checks.checkBytesRead(bytes);
  }

  /** Instant queries are metric queries only; the metric handler refuses log queries with Loki's message. */
  private Response instantQuery(Request r) {
    return metric.instant(r);
  }

  private List<LabelMatcher> optionalSelector(Request r) {
    String q = r.param("query");
    if (q == null || q.isBlank()) return List.of();
    StreamSelector s = LogqlParser.parseSelector(q);
    SelectorRule.check(s);
    return s.matchers();
  }

  private Response labels(Request r) {
    TimeRange range = TimeRange.fromParams(r::param, HandlerSupport.now());
    List<LabelMatcher> matchers = optionalSelector(r);
    return stringList(reader.labelNames(HandlerSupport.tenant(r), range.startNanos(), range.endNanos(), matchers));
  }

  private Response labelValues(Request r) {
    TimeRange range = TimeRange.fromParams(r::param, HandlerSupport.now());
    List<LabelMatcher> matchers = optionalSelector(r);
    String name = r.pathParam("name");
    return stringList(reader.labelValues(HandlerSupport.tenant(r), name, range.startNanos(), range.endNanos(), matchers));
  }

  /** Loki answers an empty label list with {@code {"status":"success"}} and no data key. */
  private static Response stringList(List<String> values) {
    return Response.json(200, HandlerSupport.json(g -> {
      g.writeStringField("status", "success");
      if (!values.isEmpty()) {
        g.writeArrayFieldStart("data");
        for (String v : values) g.writeString(v);
        g.writeEndArray();
      }
    }));
  }

  private Response series(Request r) {
    TimeRange range = TimeRange.fromParams(r::param, HandlerSupport.now());
    List<String> matches = new ArrayList<>();
    for (String key : List.of("match[]", "match")) {
      List<String> v = r.params().get(key);
      if (v != null) matches.addAll(v);
    }
    List<List<LabelMatcher>> selectors = new ArrayList<>();
    for (String m : matches) {
      if (m.isBlank()) continue;
      List<LabelMatcher> matchers = LogqlParser.parseSelector(m).matchers();
      if (matchers.isEmpty()) {
        selectors.clear();
        break; // {} selects every stream
      }
      selectors.add(matchers);
    }
    List<LabelSet> series = reader.series(HandlerSupport.tenant(r), selectors, range.startNanos(), range.endNanos());
    return Response.json(200, HandlerSupport.json(g -> {
      g.writeStringField("status", "success");
      g.writeArrayFieldStart("data");
      for (LabelSet s : series) {
        g.writeStartObject();
        for (Label l : s.labels()) g.writeStringField(l.name(), l.value());
        g.writeEndObject();
      }
      g.writeEndArray();
    }));
  }

  private Response indexStats(Request r) {
    TimeRange range = TimeRange.fromParams(r::param, HandlerSupport.now());
    String q = r.param("query");
    if (q == null || q.isBlank()) throw ParseException.noPosition("syntax error: unexpected $end");
    StreamSelector s = LogqlParser.parseSelector(q);
    SelectorRule.check(s);
    IndexStats st = reader.stats(HandlerSupport.tenant(r), s.matchers(), range.startNanos(), range.endNanos());
    return Response.json(200, HandlerSupport.json(g -> {
      g.writeNumberField("streams", st.streams());
      g.writeNumberField("chunks", st.chunks());
      g.writeNumberField("bytes", st.bytes());
      g.writeNumberField("entries", st.entries());
    }));
  }
}
