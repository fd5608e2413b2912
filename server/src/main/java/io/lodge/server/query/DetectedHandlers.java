package io.lodge.server.query;

import static io.lodge.server.query.HandlerSupport.GET_POST;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.read.Direction;
import io.lodge.ingester.read.EntryIterator;
import io.lodge.ingester.read.LogReader;
import io.lodge.ingester.read.SelectRequest;
import io.lodge.querier.api.BadQueryException;
import io.lodge.querier.api.Deadline;
import io.lodge.querier.api.DetectedFields;
import io.lodge.querier.api.DetectedLabels;
import io.lodge.querier.api.QueryLimits;
import io.lodge.querier.api.QueryRangeParams;
import io.lodge.querier.api.TimeRange;
import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ast.Expr;
import io.lodge.querier.logql.ast.LogQuery;
import io.lodge.querier.pipeline.Pipeline;
import io.lodge.querier.pipeline.PipelineResult;
import io.lodge.querier.pipeline.Pipelines;
import io.lodge.querier.pipeline.StreamPipeline;
import io.lodge.server.http.Request;
import io.lodge.server.http.Response;
import io.lodge.server.http.Router;
import io.lodge.server.http.TenantPolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * {@code /loki/api/v1/detected_fields}, {@code /detected_field/<name>/values} and
 * {@code /detected_labels} (LOKI-COMPAT 2.10): fields of the newest {@code line_limit} lines of a log
 * query (structured metadata, then {@code json} or else {@code logfmt} on each line) and the stream
 * labels worth browsing by.
 */
public final class DetectedHandlers {
  private final LogReader reader;
  private final QueryLimits limits;
  private final Executor workers;

  public DetectedHandlers(LogReader reader, LimitsConfig limits, Executor workers) {
    this.reader = reader;
    this.limits = new QueryLimits(limits);
    this.workers = workers;
  }

  public void register(Router router) {
    router.add(GET_POST, "/loki/api/v1/detected_fields", TenantPolicy.MULTI,
        r -> HandlerSupport.async(r, workers, x -> {
          Sample s = sample(x);
          return Response.json(200, s.fields.renderFields(s.limit));
        }));
    router.add(GET_POST, "/loki/api/v1/detected_field/{name}/values", TenantPolicy.MULTI,
        r -> HandlerSupport.async(r, workers, x -> {
          Sample s = sample(x);
          return Response.json(200, s.fields.renderValues(x.pathParam("name"), s.limit));
        }));
    router.add(GET_POST, "/loki/api/v1/detected_labels", TenantPolicy.MULTI,
        r -> HandlerSupport.async(r, workers, this::detectedLabels));
  }

  private record Sample(DetectedFields fields, int limit) {}

  private Sample sample(Request r) {
    TimeRange range = TimeRange.fromParams(r::param, HandlerSupport.now());
    if (range.endNanos() < range.startNanos()) {
      throw new BadQueryException("end timestamp must not be before or equal to start time");
    }
    int lineLimit = QueryRangeParams.parseLimit(r.param("line_limit"), 100);
    String fieldLimit = r.param("limit");
    if (fieldLimit == null || fieldLimit.isEmpty()) fieldLimit = r.param("field_limit");
    int limit = QueryRangeParams.parseLimit(fieldLimit, 1000);
    QueryRangeParams.parseStep(r.param("step"), range);
    String q = r.param("query");
    Expr expr = LogqlParser.parse(q == null ? "" : q);
    if (!(expr instanceof LogQuery query)) {
      throw new BadQueryException("only log queries are supported by detected fields");
    }
    limits.checkEntries(lineLimit);
    limits.checkQueryLength(range);
    Pipeline pipeline = compileOrNoop(query);
    Map<LabelSet, StreamPipeline> perStream = new HashMap<>();
    DetectedFields fields = new DetectedFields();
    Deadline deadline = limits.deadline();
    SelectRequest select = new SelectRequest(HandlerSupport.tenant(r), query.selector().matchers(),
        range.startNanos(), range.endNanos(), Direction.BACKWARD);
    int sampled = 0;
    long read = 0;
    try (EntryIterator it = reader.select(select)) {
      while (sampled < lineLimit && it.next()) {
        if ((++read & 1023) == 0) deadline.check();
        if (pipeline.isNoop()) {
          fields.add(it.labels(), it.line(), it.metadata());
        } else {
          PipelineResult p = perStream.computeIfAbsent(it.labels(), pipeline::forStream)
              .process(it.timestampNanos(), it.line(), it.metadata());
          if (p == null) continue;
          fields.add(it.labels(), p.line(), p.structuredMetadata());
        }
        sampled++;
      }
    }
    deadline.check();
    return new Sample(fields, limit);
  }

  /**
   * The query's pipeline when this Lodge version evaluates its stages; otherwise the selector alone
   * (fields are then detected on every line of the selected streams).
   */
  private static Pipeline compileOrNoop(LogQuery query) {
    try {
      return Pipelines.compile(query.stages());
    } catch (UnsupportedOperationException notYet) {
      return Pipelines.noop();
    }
  }

  private Response detectedLabels(Request r) {
    TimeRange range = TimeRange.fromParams(r::param, HandlerSupport.now());
    if (range.endNanos() < range.startNanos()) {
      throw new BadQueryException("end timestamp must not be before or equal to start time");
    }
    var matchers = HandlerSupport.optionalMatchers(r);
    List<LabelSet> series = reader.series(HandlerSupport.tenant(r),
        matchers.isEmpty() ? List.of() : List.of(matchers), range.startNanos(), range.endNanos());
    return Response.json(200, DetectedLabels.render(series));
  }
}
