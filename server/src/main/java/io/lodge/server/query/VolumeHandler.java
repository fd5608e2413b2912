package io.lodge.server.query;

import static io.lodge.server.query.HandlerSupport.GET_POST;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.read.Direction;
import io.lodge.ingester.read.EntryIterator;
import io.lodge.ingester.read.LogReader;
import io.lodge.ingester.read.SelectRequest;
import io.lodge.ingester.validate.Validator;
import io.lodge.querier.api.BadQueryException;
import io.lodge.querier.api.Deadline;
import io.lodge.querier.api.QueryLimits;
import io.lodge.querier.api.QueryRangeParams;
import io.lodge.querier.api.TimeRange;
import io.lodge.querier.api.VolumeAggregator;
import io.lodge.querier.logql.ast.StreamSelector;
import io.lodge.server.http.Request;
import io.lodge.server.http.Response;
import io.lodge.server.http.Router;
import io.lodge.server.http.TenantPolicy;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * {@code /loki/api/v1/index/volume} and {@code /index/volume_range} (LOKI-COMPAT 2.9): bytes ingested per
 * series of the selector's label names (or {@code targetLabels}, or per label name with
 * {@code aggregateBy=labels}), exact, summed from the entries in range.
 */
public final class VolumeHandler {
  private final LogReader reader;
  private final QueryLimits limits;
  private final Executor workers;

  public VolumeHandler(LogReader reader, LimitsConfig limits, Executor workers) {
    this.reader = reader;
    this.limits = new QueryLimits(limits);
    this.workers = workers;
  }

  public void register(Router router) {
    router.add(GET_POST, "/loki/api/v1/index/volume", TenantPolicy.MULTI,
        r -> HandlerSupport.async(r, workers, x -> volume(x, false)));
    router.add(GET_POST, "/loki/api/v1/index/volume_range", TenantPolicy.MULTI,
        r -> HandlerSupport.async(r, workers, x -> volume(x, true)));
  }

  private Response volume(Request r, boolean ranged) {
    TimeRange range = TimeRange.fromParams(r::param, HandlerSupport.now());
    if (range.endNanos() < range.startNanos()) {
      throw new BadQueryException("end timestamp must not be before or equal to start time");
    }
    int limit = parseLimit(r.param("limit"));
    long step = ranged ? QueryRangeParams.parseStep(r.param("step"), range) : 0;
    StreamSelector selector = HandlerSupport.requiredSelector(r);
    VolumeAggregator.AggregateBy by = VolumeAggregator.parseAggregateBy(r.param("aggregateBy"));
    limits.checkQueryLength(range);
    Set<String> groupBy = new LinkedHashSet<>();
    String targets = r.param("targetLabels");
    if (targets != null && !targets.isBlank()) {
      for (String t : targets.split(",")) if (!t.isBlank()) groupBy.add(t.strip());
    } else {
      for (LabelMatcher m : selector.matchers()) groupBy.add(m.name());
    }
    VolumeAggregator agg = new VolumeAggregator(groupBy, by, range, step);
    Deadline deadline = limits.deadline();
    SelectRequest select = new SelectRequest(HandlerSupport.tenant(r), selector.matchers(), range.startNanos(),
        range.endNanos(), Direction.FORWARD);
    long n = 0;
    try (EntryIterator it = reader.select(select)) {
      while (it.next()) {
        if ((++n & 4095) == 0) deadline.check();
        agg.add(it.labels(), it.timestampNanos(), it.line().length + Validator.metadataBytes(it.metadata()));
      }
    }
    deadline.check();
    limits.checkVolumeSeries(agg.seriesCount());
    return Response.json(200, agg.render(limit));
  }

  /** Volume's {@code limit}: default 100, and 0 also means 100; negative is refused. */
  static int parseLimit(String l) {
    if (l == null || l.isEmpty()) return 100;
    int limit;
    try {
      limit = Integer.parseInt(l);
    } catch (NumberFormatException e) {
      throw new BadQueryException("strconv.Atoi: parsing " + io.lodge.ingester.model.GoQuote.quote(l) + ": invalid syntax");
    }
    if (limit < 0) throw new BadQueryException("limit must be a positive value");
    return limit == 0 ? 100 : limit;
  }

}
