package io.lodge.server.query;

import static io.lodge.server.query.HandlerSupport.GET_POST;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.read.EntryIterator;
import io.lodge.ingester.read.LogReader;
import io.lodge.ingester.read.SelectRequest;
import io.lodge.querier.api.BadQueryException;
import io.lodge.querier.api.LegacyStreamsResult;
import io.lodge.querier.api.LogQueryParams;
import io.lodge.querier.api.QueryLimits;
import io.lodge.querier.api.TimeRange;
import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ast.Expr;
import io.lodge.querier.logql.ast.LogQuery;
import io.lodge.querier.pipeline.Pipeline;
import io.lodge.querier.pipeline.Pipelines;
import io.lodge.server.http.Request;
import io.lodge.server.http.Response;
import io.lodge.server.http.Router;
import io.lodge.server.http.TenantPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * The legacy {@code /api/prom/*} query endpoints (LOKI-COMPAT 2.16): log queries only (with the extra
 * {@code regexp} line filter), label names {@code {"values":[...]}}, label values, and series as in v1.
 */
public final class LegacyQueryHandlers {
  private final LogReader reader;
  private final LimitsConfig limitsConfig;
  private final QueryLimits limits;
  private final Executor workers;

  public LegacyQueryHandlers(LogReader reader, LimitsConfig limits, Executor workers) {
    this.reader = reader;
    this.limitsConfig = limits;
    this.limits = new QueryLimits(limits);
    this.workers = workers;
  }

  public void register(Router router) {
    router.add(GET_POST, "/api/prom/query", TenantPolicy.MULTI, r -> HandlerSupport.async(r, workers, this::query));
    router.add(GET_POST, "/api/prom/label", TenantPolicy.MULTI, r -> HandlerSupport.async(r, workers, this::labels));
    router.add(GET_POST, "/api/prom/label/{name}/values", TenantPolicy.MULTI,
        r -> HandlerSupport.async(r, workers, this::labelValues));
    router.add(GET_POST, "/api/prom/series", TenantPolicy.MULTI, r -> HandlerSupport.async(r, workers, this::series));
  }

  private Response query(Request r) {
    LogQueryParams p = LogQueryParams.fromParams(r::param, limitsConfig, HandlerSupport.now());
    Expr expr = LogqlParser.parse(p.query());
    if (!(expr instanceof LogQuery q)) {
      // Loki's frontend forwards the querier's gRPC status text
      throw new BadQueryException("rpc error: code = Code(400) desc = legacy endpoints only support streams result type");
    }
    Pipeline pipeline;
    try {
      pipeline = Pipelines.compile(q.stages());
    } catch (UnsupportedOperationException notYet) {
      throw new BadQueryException("log pipeline stages are not evaluated by this Lodge version yet: " + q);
    }
    limits.checkQueryLength(p.range());
    Predicate<String> filter = line -> true;
    String regexp = r.param("regexp");
    if (regexp != null && !regexp.isEmpty()) {
      com.google.re2j.Pattern re = com.google.re2j.Pattern.compile(regexp);
      filter = line -> re.matcher(line).find();
    }
    SelectRequest select = new SelectRequest(HandlerSupport.tenant(r), q.selector().matchers(), p.range().startNanos(),
        p.range().endNanos(), p.direction());
    try (EntryIterator it = reader.select(select)) {
      return Response.json(200, LegacyStreamsResult.render(it, pipeline, p.limit(), p.direction(), filter, limits.deadline()));
    }
  }

  private Response labels(Request r) {
    TimeRange range = TimeRange.fromParams(r::param, HandlerSupport.now());
    List<LabelMatcher> matchers = HandlerSupport.optionalMatchers(r);
    return values(reader.labelNames(HandlerSupport.tenant(r), range.startNanos(), range.endNanos(), matchers));
  }

  private Response labelValues(Request r) {
    TimeRange range = TimeRange.fromParams(r::param, HandlerSupport.now());
    List<LabelMatcher> matchers = HandlerSupport.optionalMatchers(r);
    return values(reader.labelValues(HandlerSupport.tenant(r), r.pathParam("name"), range.startNanos(),
        range.endNanos(), matchers));
  }

  private static Response values(List<String> values) {
    return Response.json(200, HandlerSupport.json(g -> {
      g.writeArrayFieldStart("values");
      for (String v : values) g.writeString(v);
      g.writeEndArray();
    }));
  }

  private Response series(Request r) {
    TimeRange range = TimeRange.fromParams(r::param, HandlerSupport.now());
    List<List<LabelMatcher>> selectors = new ArrayList<>();
    boolean all = false;
    for (String key : List.of("match[]", "match")) {
      for (String m : r.params().getOrDefault(key, List.of())) {
        if (m.isBlank()) continue;
        List<LabelMatcher> matchers = LogqlParser.parseSelector(m).matchers();
        all |= matchers.isEmpty(); // {} selects every stream
        selectors.add(matchers);
      }
    }
    if (all) selectors.clear();
    List<LabelSet> series = reader.series(HandlerSupport.tenant(r), selectors, range.startNanos(), range.endNanos());
    return Response.json(200, HandlerSupport.json(g -> {
      g.writeStringField("status", "success");
      g.writeArrayFieldStart("data");
      for (LabelSet s : series) HandlerSupport.writeLabels(g, s);
      g.writeEndArray();
    }));
  }
}
