package io.lodge.server.query;

import static io.lodge.server.query.HandlerSupport.GET_POST;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.read.Direction;
import io.lodge.ingester.read.EntryIterator;
import io.lodge.ingester.read.LogReader;
import io.lodge.ingester.read.SelectRequest;
import io.lodge.querier.api.BadQueryException;
import io.lodge.querier.api.Deadline;
import io.lodge.querier.api.QueryLimits;
import io.lodge.querier.api.QueryRangeParams;
import io.lodge.querier.api.TimeRange;
import io.lodge.querier.logql.ast.StreamSelector;
import io.lodge.querier.patterns.PatternMiner;
import io.lodge.querier.patterns.PatternsResult;
import io.lodge.server.http.Request;
import io.lodge.server.http.Response;
import io.lodge.server.http.Router;
import io.lodge.server.http.TenantPolicy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;

/**
 * {@code /loki/api/v1/patterns} (LOKI-COMPAT 2.11): mines the lines of the selected streams in range with
 * {@link PatternMiner} at query time (Loki mines at ingest in its pattern ingester) and answers the
 * patterns with per-step line counts.
 */
public final class PatternsHandler {
  /** At most this many lines are mined per query (the newest are skipped past it): bounds CPU and memory. */
  public static final int MAX_LINES = 200_000;

  private final LogReader reader;
  private final QueryLimits limits;
  private final Executor workers;

  public PatternsHandler(LogReader reader, LimitsConfig limits, Executor workers) {
    this.reader = reader;
    this.limits = new QueryLimits(limits);
    this.workers = workers;
  }

  public void register(Router router) {
    router.add(GET_POST, "/loki/api/v1/patterns", TenantPolicy.MULTI,
        r -> HandlerSupport.async(r, workers, this::patterns));
  }

  private Response patterns(Request r) {
    TimeRange range = TimeRange.fromParams(r::param, HandlerSupport.now());
    if (range.endNanos() < range.startNanos()) {
      throw new BadQueryException("end timestamp must not be before or equal to start time");
    }
    long step = QueryRangeParams.parseStep(r.param("step"), range);
    StreamSelector selector = HandlerSupport.requiredSelector(r);
    limits.checkQueryLength(range);
    PatternMiner miner = new PatternMiner(step);
    Deadline deadline = limits.deadline();
    SelectRequest select = new SelectRequest(HandlerSupport.tenant(r), selector.matchers(), range.startNanos(),
        range.endNanos(), Direction.FORWARD);
    int n = 0;
    try (EntryIterator it = reader.select(select)) {
      while (n < MAX_LINES && it.next()) {
        if ((++n & 1023) == 0) deadline.check();
        miner.add(it.timestampNanos(), new String(it.line(), StandardCharsets.UTF_8));
      }
    }
    deadline.check();
    return Response.json(200, PatternsResult.render(miner.patterns()));
  }
}
