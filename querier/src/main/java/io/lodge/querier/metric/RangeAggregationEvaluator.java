package io.lodge.querier.metric;

import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.read.Direction;
import io.lodge.ingester.read.EntryIterator;
import io.lodge.ingester.read.ReadHints;
import io.lodge.ingester.read.SelectRequest;
import io.lodge.querier.api.BadQueryException;
import io.lodge.querier.logql.ast.Grouping;
import io.lodge.querier.logql.ast.LogRangeExpr;
import io.lodge.querier.logql.ast.RangeAggregationExpr;
import io.lodge.querier.logql.ast.RangeAggregationExpr.RangeOp;
import io.lodge.querier.pipeline.Pipeline;
import io.lodge.querier.pipeline.PipelineResult;
import io.lodge.querier.pipeline.Pipelines;
import io.lodge.querier.pipeline.ReadPushdown;
import io.lodge.querier.pipeline.StreamPipeline;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * A range aggregation ({@code count_over_time(...)[r] offset o}, LOKI-COMPAT 3.11) evaluated in one
 * forward pass: entries of {@code (start-o-r, end-o]} are read once, in time order, and pushed into
 * per-series windows; at each step the windows drop what fell out of {@code (t-o-r, t-o]} and every
 * non-empty window yields a sample stamped {@code t}. Memory is the samples inside one window. The grid
 * is a part of the query's ({@link SplitPlan}); the one window of an instant query may be read in time
 * slices by evaluators of their own on the engine's pool ({@link WindowSplit}).
 *
 * <p>A count, rate, bytes_over_time or bytes_rate without stages or unwrap on a range grid takes a
 * shortcut ({@link #usesStepCounts}): each entry counts for a run of consecutive steps whatever the
 * order it comes in, so the store returns the streams one after the other
 * ({@link ReadHints#streamOrderOnly()}, no k-way merge across streams, mostly whole blocks at a time)
 * and {@link StepCountReader} adds them to {@link StepCounts}; the samples, statistics and errors are
 * those of the sliding windows.
 */
final class RangeAggregationEvaluator implements StepEvaluator {
  private final RangeAggregationExpr expr;
  private final Grouping grouping;
  private final boolean errorsDropLabels;
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
  private final boolean countingWindows; // windows keep counts only (SeriesWindow#counting)
  private final long countedBefore; // entries at or before it are the previous part's to count

  private SeriesWindow lastWindow; // the window of the previous sample: usually the next one's too

  private EntryIterator entries;
  private boolean pending; // the iterator sits on an entry not consumed yet
  private boolean exhausted;
  private int step;
  private long read;
  private boolean pushedLiterals; // the store drops lines for the pipeline's literals
  private long seenLines; // entries the read returned, and their line bytes
  private long seenBytes;
  private RuntimeException failure; // as a slice of another evaluator's window: what stopped it
  private final long stepCountBudget; // cells the step counts may hold; 0: never take the shortcut
  private boolean stepCountsTried;
  private StepCounts counts; // the shortcut's counts once read; null on the sliding path

  /** {@code grouping} overrides the expression's own (an outer {@code sum} pushed down). */
  RangeAggregationEvaluator(RangeAggregationExpr expr, Grouping grouping, boolean errorsDropLabels, EvalContext ctx) {
    this(expr, grouping, errorsDropLabels, ctx, MetricEngine.DEFAULT_STEP_COUNT_CELLS);
  }

  /** {@code stepCountBudget}: the most cells {@link StepCounts} may hold (0 disables the shortcut). */
  RangeAggregationEvaluator(RangeAggregationExpr expr, Grouping grouping, boolean errorsDropLabels, EvalContext ctx,
      long stepCountBudget) {
    this.expr = expr;
    this.stepCountBudget = stepCountBudget;
    this.grouping = grouping;
    this.errorsDropLabels = errorsDropLabels;
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
    RangeOp op = expr.op();
    boolean ofCountsOnly = !unwrapped && (op == RangeOp.COUNT_OVER_TIME || op == RangeOp.RATE || op == RangeOp.BYTES_OVER_TIME
        || op == RangeOp.BYTES_RATE || op == RangeOp.ABSENT_OVER_TIME);
    this.countingWindows = ofCountsOnly && (ctx.grid().isInstant() || ctx.grid().stepNanos() >= rangeNanos);
  }

  /**
   * Opens the read of {@code (afterNanos, upToNanos]}, telling the store what it may skip: the line column
   * when only timestamps and lengths count, and the literals of leading {@code |=} filters when every
   * line the store drops for them can be counted as processed exactly, i.e. when the read neither
   * overlaps an earlier part's read nor has gaps between windows ({@link #gaplessRead}).
   */
  private void open(long afterNanos, long upToNanos) {
    open(afterNanos, upToNanos, false);
  }

  /** {@code streamOrder}: the streams may come one after the other ({@link ReadHints#streamOrderOnly()}). */
  private void open(long afterNanos, long upToNanos, boolean streamOrder) {
    ReadHints hints = ReadHints.NONE;
    if (gaplessRead(afterNanos)) hints = ReadPushdown.hints(expr.range().log().stages());
    pushedLiterals = !hints.requiredLiterals().isEmpty();
    RangeOp op = expr.op();
    if (pipeline.isNoop() && !unwrapped
        && (op == RangeOp.COUNT_OVER_TIME || op == RangeOp.RATE || op == RangeOp.ABSENT_OVER_TIME)) {
      hints = hints.withoutLines(); // lineLength() stays exact for the statistics
    }
    // the step counts read line lengths only (count, rate and the bytes functions without stages)
    if (streamOrder) hints = hints.withoutLines().inStreamOrder();
    entries = ctx.reader().select(new SelectRequest(ctx.tenant(), expr.range().log().selector().matchers(),
        afterNanos + 1, upToNanos + 1, Direction.FORWARD, hints));
  }

  /**
   * Whether every entry a read from {@code afterNanos} returns is counted as processed by this part: the
   * windows tile the read (range equal to the step, or one instant window) and the read starts after the
   * entries an earlier part counted.
   */
  private boolean gaplessRead(long afterNanos) {
    boolean tiled = ctx.grid().isInstant() || ctx.grid().stepNanos() == rangeNanos;
    return tiled && afterNanos >= countedBefore;
  }

  @Override
  public List<Sample> next() {
    if (!stepCountsTried) {
      stepCountsTried = true;
      if (usesStepCounts()) countSteps();
    }
    if (counts != null) return countedSamples(step++);
    long t = ctx.grid().at(step++);
    long windowEnd = t - offsetNanos;
    long windowStart = windowEnd - rangeNanos;
    if (entries == null && !exhausted) {
      int slices = ctx.grid().isInstant() ? ctx.split().slices(rangeNanos) : 1;
      if (slices > 1) {
        readInSlices(windowStart, windowEnd, slices);
        exhausted = true;
      } else {
        // windows are left-open: the first entry that can count is at start-o-r+1ns; the last at end-o
        open(ctx.grid().startNanos() - offsetNanos - rangeNanos, ctx.grid().endNanos() - offsetNanos);
      }
    }
    if (countingWindows) {
      // a counting window drops its samples all at once, so before this window's arrive
      for (SeriesWindow w : windows.values()) w.evictUpTo(windowStart);
    }
    read(windowStart, windowEnd);
    lastWindow = null; // it may be removed below
    List<Sample> out = new ArrayList<>(windows.size());
    LabelSet firstError = null;
    for (Iterator<SeriesWindow> it = windows.values().iterator(); it.hasNext(); ) {
      SeriesWindow w = it.next();
      w.evictUpTo(windowStart);
      if (w.isEmpty()) {
        it.remove();
        continue;
      }
      if (ctx.checkErrors() && w.labels.has(PostFilters.ERROR)) {
        // the first in label order, not in map order: the map's history differs between a whole
        // evaluation, a part of a split one and a window read in slices
        if (firstError == null || Groupings.compare(w.labels, firstError) < 0) firstError = w.labels;
        continue;
      }
      if (absentLabels == null) {
        out.add(new Sample(w.labels, RangeFunctions.apply(expr.op(), w, rangeNanos, unwrapped, param)));
      }
    }
    if (firstError != null) throw pipelineError(firstError);
    if (absentLabels != null) {
      return out.isEmpty() && windows.isEmpty() ? new ArrayList<>(List.of(new Sample(absentLabels, 1))) : out;
    }
    out.sort((a, b) -> Groupings.compare(a.labels(), b.labels()));
    return out;
  }

  /**
   * Whether this evaluation takes the step-count shortcut: a function of the entry count or line bytes
   * only (no unwrapped values, no stages that could drop or relabel entries by content: the series of
   * an entry then depends on its stream and metadata alone). Instant queries too: their one window
   * mostly holds whole blocks, which the shortcut counts from their headers, far faster than slices
   * decoding every timestamp in parallel.
   */
  private boolean usesStepCounts() {
    RangeOp op = expr.op();
    return stepCountBudget > 0 && absentLabels == null && !unwrapped && pipeline.isNoop()
        && (op == RangeOp.COUNT_OVER_TIME || op == RangeOp.RATE || op == RangeOp.BYTES_OVER_TIME
            || op == RangeOp.BYTES_RATE);
  }

  /**
   * Reads the whole part once, in stream order, into step counts ({@link StepCountReader}). Past the
   * cell budget it gives up without a trace (nothing counted yet) and {@link #next} slides instead.
   */
  private void countSteps() {
    StepGrid grid = ctx.grid();
    boolean bytes = expr.op() == RangeOp.BYTES_OVER_TIME || expr.op() == RangeOp.BYTES_RATE;
    StepCounts c = new StepCounts(grid, rangeNanos, offsetNanos, bytes, stepCountBudget);
    open(grid.startNanos() - offsetNanos - rangeNanos, grid.endNanos() - offsetNanos, true);
    try {
      StepCountReader reader = new StepCountReader(c, bytes, countedBefore, pipeline, streamPipelines, extractor, ctx);
      if (!reader.fill(entries)) return;
      counts = c;
      ctx.part().processed(reader.lines(), reader.lineBytes());
    } finally {
      entries.close();
      entries = null;
    }
  }

  /** The samples of step {@code k} from the counts: what the sliding windows yield there. */
  private List<Sample> countedSamples(int k) {
    List<Sample> out = new ArrayList<>(counts.seriesCount());
    LabelSet[] firstError = new LabelSet[1];
    RangeOp op = expr.op();
    double seconds = RangeFunctions.seconds(rangeNanos);
    counts.samples(k, (labels, n, bytes) -> {
      if (ctx.checkErrors() && labels.has(PostFilters.ERROR)) {
        if (firstError[0] == null || Groupings.compare(labels, firstError[0]) < 0) firstError[0] = labels;
        return;
      }
      // as RangeFunctions.apply on a window of n entries (an int there, exact as a double either way)
      double v = switch (op) {
        case COUNT_OVER_TIME -> (double) n;
        case RATE -> (double) n / seconds;
        case BYTES_OVER_TIME -> (double) bytes;
        case BYTES_RATE -> (double) bytes / seconds;
        default -> throw new IllegalStateException("no step counts for " + op);
      };
      out.add(new Sample(labels, v));
    });
    if (firstError[0] != null) throw pipelineError(firstError[0]);
    out.sort((a, b) -> Groupings.compare(a.labels(), b.labels()));
    return out;
  }

  /** Lines the store examined but left out for the pushed-down literals count as processed too. */
  private void countDroppedLines() {
    if (!pushedLiterals) return;
    long scanned = entries.scannedLines();
    if (scanned < 0) return;
    ctx.part().processedDropped(scanned - seenLines, Math.max(0, entries.scannedBytes() - seenBytes));
  }

  /** Feeds every entry with a timestamp up to {@code windowEnd} into the windows. */
  private void read(long windowStart, long windowEnd) {
    while (!exhausted) {
      if (!pending) {
        if (!entries.next()) {
          exhausted = true;
          countDroppedLines();
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
      seenLines++;
      seenBytes += entries.lineLength();
      if (ts > countedBefore) ctx.part().processed(entries.lineLength());
      LabelSet stream = entries.labels();
      StreamPipeline sp = streamPipelines.computeIfAbsent(stream, pipeline::forStream);
      PipelineResult r = sp.process(ts, line, entries.metadata());
      if (r == null || !extractor.extract(r)) continue;
      LabelSet series = extractor.series();
      SeriesWindow w = lastWindow;
      if (w == null || w.labels != series) {
        // the extractor hands out cached label sets, so the same series is mostly the same instance
        w = windows.computeIfAbsent(series, countingWindows ? SeriesWindow::counting : SeriesWindow::new);
        lastWindow = w;
      }
      w.add(ts, extractor.value());
    }
  }

  /**
   * Fills the one window {@code (windowStart, windowEnd]} of an instant query from {@code n} time slices
   * read in parallel by evaluators of their own, appending each series' samples slice by slice: the
   * window then holds what one read would have put there, in the same order. A slice's failure is
   * reported once the slices before it finished (the earliest entry's error, as a single read reports it).
   */
  private void readInSlices(long windowStart, long windowEnd, int n) {
    PartControl.Shared shared = new PartControl.Shared();
    List<Future<RangeAggregationEvaluator>> slices = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) {
        long after = windowStart + (long) ((double) rangeNanos * i / n);
        long upTo = i == n - 1 ? windowEnd : windowStart + (long) ((double) rangeNanos * (i + 1) / n);
        RangeAggregationEvaluator slice = new RangeAggregationEvaluator(expr, grouping, errorsDropLabels, ctx.slice(shared, i));
        slices.add(ctx.split().pool().submit(() -> slice.readSlice(after, upTo)));
      }
      for (Future<RangeAggregationEvaluator> f : slices) {
        RangeAggregationEvaluator slice = PartControl.await(f, ctx.deadlineNanos());
        ctx.part().absorb(slice.ctx.part());
        if (slice.failure != null) throw slice.failure;
        for (SeriesWindow w : slice.windows.values()) {
          SeriesWindow into = windows.putIfAbsent(w.labels, w);
          if (into != null) into.addAll(w);
        }
      }
    } finally {
      shared.cancelAll(); // a no-op when all finished; otherwise nobody waits for the rest
      for (Future<RangeAggregationEvaluator> f : slices) f.cancel(false);
    }
  }

  /** A slice's task: reads {@code (afterNanos, upToNanos]} into this evaluator's windows. */
  private RangeAggregationEvaluator readSlice(long afterNanos, long upToNanos) {
    try {
      ctx.checkDeadline(); // it may have waited in the queue behind other queries
      open(afterNanos, upToNanos);
      read(afterNanos, upToNanos);
    } catch (RuntimeException e) {
      failure = e;
      ctx.part().failed();
    } finally {
      close();
    }
    return this;
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
