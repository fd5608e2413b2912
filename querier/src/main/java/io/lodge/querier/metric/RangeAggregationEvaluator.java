package io.lodge.querier.metric;

import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.read.Direction;
import io.lodge.ingester.read.EntryIterator;
import io.lodge.ingester.read.SelectRequest;
import io.lodge.querier.api.BadQueryException;
import io.lodge.querier.logql.ast.Grouping;
import io.lodge.querier.logql.ast.LogRangeExpr;
import io.lodge.querier.logql.ast.RangeAggregationExpr;
import io.lodge.querier.logql.ast.RangeAggregationExpr.RangeOp;
import io.lodge.querier.pipeline.Pipeline;
import io.lodge.querier.pipeline.PipelineResult;
import io.lodge.querier.pipeline.Pipelines;
import io.lodge.querier.pipeline.StreamPipeline;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A range aggregation ({@code count_over_time(...)[r] offset o}, LOKI-COMPAT 3.11) evaluated in one
 * forward pass: entries of {@code (start-o-r, end-o]} are read once, in time order, and pushed into
 * per-series windows; at each step the windows drop what fell out of {@code (t-o-r, t-o]} and every
 * non-empty window yields a sample stamped {@code t}. Memory is the samples inside one window.
 */
final class RangeAggregationEvaluator implements StepEvaluator {
  private final RangeAggregationExpr expr;
  private final EvalContext ctx;
  private final long rangeNanos;
  private final long offsetNanos;
  private final boolean unwrapped;
  private final double param;
  private final SampleExtractor extractor;
  private final Pipeline pipeline;
  private final Map<LabelSet, StreamPipeline> streamPipelines = new HashMap<>();
  private final Map<LabelSet, SeriesWindow> windows = new HashMap<>();
  private final LabelSet absentLabels;
  private final long countedBefore; // entries at or before it are the previous part's to count

  private SeriesWindow lastWindow; // the window of the previous sample: usually the next one's too

  private EntryIterator entries;
  private boolean pending; // the iterator sits on an entry not consumed yet
  private boolean exhausted;
  private int step;
  private long read;

  /** {@code grouping} overrides the expression's own (an outer {@code sum} pushed down). */
  RangeAggregationEvaluator(RangeAggregationExpr expr, Grouping grouping, boolean errorsDropLabels, EvalContext ctx) {
    this.expr = expr;
    this.ctx = ctx;
    LogRangeExpr range = expr.range();
    this.rangeNanos = range.rangeNanos();
    this.offsetNanos = range.offsetNanos();
    this.unwrapped = range.unwrap() != null;
    this.param = expr.param() == null ? 0 : expr.param();
    this.extractor = new SampleExtractor(expr.op(), range, grouping, errorsDropLabels);
    this.pipeline = Pipelines.compile(range.log().stages());
    this.absentLabels = expr.op() == RangeOp.ABSENT_OVER_TIME
        ? SampleExtractor.absentLabels(range.log().selector().matchers()) : null;
    this.countedBefore = ctx.part().countedBefore(offsetNanos);
  }

  private void open() {
    StepGrid g = ctx.grid();
    // windows are left-open: the first entry that can count is at start-o-r+1ns; the last at end-o
    long from = g.startNanos() - offsetNanos - rangeNanos + 1;
    long to = g.endNanos() - offsetNanos + 1;
    entries = ctx.reader().select(new SelectRequest(ctx.tenant(), expr.range().log().selector().matchers(),
        from, to, Direction.FORWARD));
  }

  @Override
  public List<Sample> next() {
    if (entries == null) open();
    long t = ctx.grid().at(step++);
    long windowEnd = t - offsetNanos;
    long windowStart = windowEnd - rangeNanos;
    read(windowStart, windowEnd);
    lastWindow = null; // it may be removed below
    List<Sample> out = new ArrayList<>(windows.size());
    for (Iterator<SeriesWindow> it = windows.values().iterator(); it.hasNext(); ) {
      SeriesWindow w = it.next();
      w.evictUpTo(windowStart);
      if (w.isEmpty()) {
        it.remove();
        continue;
      }
      if (ctx.checkErrors() && w.labels.has(PostFilters.ERROR)) throw pipelineError(w.labels);
      if (absentLabels == null) {
        out.add(new Sample(w.labels, RangeFunctions.apply(expr.op(), w, rangeNanos, unwrapped, param)));
      }
    }
    if (absentLabels != null) {
      return out.isEmpty() && windows.isEmpty() ? new ArrayList<>(List.of(new Sample(absentLabels, 1))) : out;
    }
    out.sort((a, b) -> Groupings.compare(a.labels(), b.labels()));
    return out;
  }

  /** Feeds every entry with a timestamp up to {@code windowEnd} into the windows. */
  private void read(long windowStart, long windowEnd) {
    while (!exhausted) {
      if (!pending) {
        if (!entries.next()) {
          exhausted = true;
          return;
        }
        pending = true;
      }
      long ts = entries.timestampNanos();
      if (ts > windowEnd) return;
      pending = false;
      if ((++read & 4095) == 0) ctx.checkDeadline();
      if (ts <= windowStart) continue; // falls between windows: no step will count it
      byte[] line = entries.line();
      if (ts > countedBefore) ctx.part().processed(line.length);
      LabelSet stream = entries.labels();
      StreamPipeline sp = streamPipelines.computeIfAbsent(stream, pipeline::forStream);
      PipelineResult r = sp.process(ts, line, entries.metadata());
      if (r == null || !extractor.extract(r)) continue;
      LabelSet series = extractor.series();
      SeriesWindow w = lastWindow;
      if (w == null || w.labels != series) {
        // the extractor hands out cached label sets, so the same series is mostly the same instance
        w = windows.computeIfAbsent(series, SeriesWindow::new);
        lastWindow = w;
      }
      w.add(ts, extractor.value());
    }
  }

  /** Loki's pipeline error (400, LOKI-COMPAT 3.9) for a series that still carries {@code __error__}. */
  static BadQueryException pipelineError(LabelSet series) {
    String err = series.get(PostFilters.ERROR);
    return new BadQueryException("pipeline error: '" + err + "' for series: '" + series + "'.\n"
        + "Use a label filter to intentionally skip this error. (e.g | __error__!=\"" + err + "\").\n"
        + "To skip all potential errors you can match empty errors.(e.g __error__=\"\")\n"
        + "The label filter can also be specified after unwrap. (e.g | unwrap latency | __error__=\"\" )\n");
  }

  @Override
  public void close() {
    if (entries != null) entries.close();
  }
}
