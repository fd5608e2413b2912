package io.lodge.querier.api;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.read.Direction;
import io.lodge.ingester.read.EntryIterator;
import io.lodge.ingester.read.LogReader;
import io.lodge.ingester.read.SelectRequest;
import io.lodge.querier.logql.ast.LogQuery;
import io.lodge.querier.pipeline.Pipeline;
import io.lodge.querier.pipeline.PipelineIterator;
import io.lodge.querier.pipeline.Pipelines;
import io.lodge.querier.pipeline.ReadPushdown;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Runs a log query (LOKI-COMPAT 2.3, 2.4.1, 2.4.2): selects the matching streams from the reader in the
 * query's direction, runs the log pipeline per stream, drops duplicate (labels, time, line) entries,
 * applies the {@code interval} thinning (one "last emitted" time shared by all streams) and the global
 * {@code limit} in direction order, and renders Loki's {@code streams} JSON. Stateless and thread-safe.
 */
public final class LogQueryExecutor {
  /**
   * Runs {@code query} without interval thinning; throws {@code ParseException} (400) when a stage
   * cannot be built.
   */
  public byte[] execute(LogReader reader, String tenant, LogQuery query, LogQueryParams params,
      boolean categorizeLabels) {
    return execute(reader, tenant, query, params, categorizeLabels, 0);
  }

  /** Runs {@code query}; {@code intervalNanos} &gt; 0 thins the result as the {@code interval} parameter does. */
  public byte[] execute(LogReader reader, String tenant, LogQuery query, LogQueryParams params,
      boolean categorizeLabels, long intervalNanos) {
    return execute(reader, tenant, query, params, categorizeLabels, intervalNanos, Deadline.NONE);
  }

  /**
   * Runs {@code query} until {@code deadline} ({@code query_timeout}): past it, throws
   * {@link QueryTimeoutException} (504) after closing the reader's iterator.
   */
  public byte[] execute(LogReader reader, String tenant, LogQuery query, LogQueryParams params,
      boolean categorizeLabels, long intervalNanos, Deadline deadline) {
    Pipeline pipeline = Pipelines.compile(query.stages());
    QueryStats stats = new QueryStats();
    LogResultCollector collector = new LogResultCollector(categorizeLabels);
    Direction direction = params.direction();
    // the leading literal filters go down to the store, which skips blocks and lines without them
    SelectRequest select = new SelectRequest(tenant, query.selector().matchers(), params.range().startNanos(),
        params.range().endNanos(), direction, ReadPushdown.hints(query.stages()));
    int returned = 0;
    boolean emitted = false;
    long last = 0;
    // The deadline is checked on every entry read, also those the pipeline filters out: a selective
    // filter over a long range spends its time there. Closing the pipeline iterator frees the reader's.
    DeadlineEntries entries = new DeadlineEntries(reader.select(select), deadline);
    try (PipelineIterator it = new PipelineIterator(entries, pipeline)) {
      while (returned < params.limit() && it.next()) {
        long ts = it.timestampNanos();
        if (intervalNanos > 0 && emitted && !dueAfterInterval(ts, last, intervalNanos, direction)) continue;
        if (!collector.add(ts, it.result())) continue;
        emitted = true;
        last = ts;
        returned++;
        stats.entryReturned();
      }
      // lines the store dropped for the pushed-down filters were processed too
      stats.processed(Math.max(it.linesRead(), entries.scannedLines()), Math.max(it.bytesRead(), entries.scannedBytes()));
    }
    return collector.render(direction, stats);
  }

  /** Entries of {@code in}, checking {@code deadline} every {@value #CHECK_EVERY} entries. */
  private static final class DeadlineEntries implements EntryIterator {
    private static final int CHECK_EVERY = 256;
    private final EntryIterator in;
    private final Deadline deadline;
    private int count;

    DeadlineEntries(EntryIterator in, Deadline deadline) {
      this.in = in;
      this.deadline = deadline;
    }

    @Override
    public boolean next() {
      if ((++count & (CHECK_EVERY - 1)) == 0) deadline.check();
      return in.next();
    }

    @Override
    public LabelSet labels() {
      return in.labels();
    }

    @Override
    public long timestampNanos() {
      return in.timestampNanos();
    }

    @Override
    public byte[] line() {
      return in.line();
    }

    @Override
    public int lineLength() {
      return in.lineLength();
    }

    @Override
    public long scannedLines() {
      return in.scannedLines();
    }

    @Override
    public long scannedBytes() {
      return in.scannedBytes();
    }

    @Override
    public List<Label> metadata() {
      return in.metadata();
    }

    @Override
    public void close() {
      in.close();
    }
  }

  private static boolean dueAfterInterval(long ts, long last, long interval, Direction direction) {
    return direction == Direction.FORWARD ? ts - last >= interval : last - ts >= interval;
  }

  /**
   * Whether an {@code X-Loki-Response-Encoding-Flags} header value (comma-separated flags, may be null)
   * asks for {@code categorize-labels} (LOKI-COMPAT 2.1.3).
   */
  public static boolean categorizeLabels(String encodingFlagsHeader) {
    if (encodingFlagsHeader == null) return false;
    for (String f : encodingFlagsHeader.split(",")) {
      if (f.trim().equals("categorize-labels")) return true;
    }
    return false;
  }

  /**
   * Reads the {@code interval} parameter (LOKI-COMPAT 2.1.2, 2.3) in nanoseconds: absent = 0; float
   * seconds or a Prometheus duration; negative gives 400 {@code interval must be >= 0}.
   */
  public static long intervalNanos(Function<String, String> params) {
    String v = params.apply("interval");
    if (v == null || v.isEmpty()) return 0;
    Duration d = LokiTime.parseDurationParam(v, "interval");
    if (d.isNegative()) throw new BadQueryException("interval must be >= 0");
    return d.toNanos();
  }
}
