package io.lodge.querier.metric;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.read.EntryBatch;
import io.lodge.ingester.read.EntryIterator;
import io.lodge.querier.pipeline.Pipeline;
import io.lodge.querier.pipeline.PipelineResult;
import io.lodge.querier.pipeline.StreamPipeline;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Fills {@link StepCounts} from a read in stream order, a batch at a time ({@link EntryIterator#nextBatch}:
 * mostly whole blocks), for a count, rate or bytes function without stages or unwrap. Entries that fall
 * in no window are skipped (neither counted as processed nor extracted), as the sliding read skips them;
 * entries at or before {@code countedBefore} count in the steps but are the previous part's to report as
 * processed.
 *
 * <p>Without stages or unwrap an entry's series is a function of its stream and metadata alone (the
 * pipeline passes them through, the extractor groups them). When no metadata pair a batch may hold
 * changes the series on its own (the block's dictionary, tested pair by pair against the series of an
 * entry without metadata), none of their combinations does either: a {@code by} grouping looks each of
 * its names up in the metadata (the last pair of that name wins, so its value is one pair's),
 * {@code without} and no grouping keep or drop each pair by name, and an {@code __error__} pair changes
 * the series alone. The whole batch then has one series: when its time span lies within one run of steps
 * it is added from the block's header (no column decoded at all), otherwise its timestamps are counted in
 * one loop without reading the per-entry metadata; a line length is decoded only when a block is cut or
 * an entry falls between windows. Other batches go entry by entry, the series computed once per metadata
 * list. Used once, by one thread.
 */
final class StepCountReader {
  private static final byte[] NO_LINE = new byte[0];

  private final StepCounts counts;
  private final boolean bytes;
  private final long countedBefore;
  private final Pipeline pipeline;
  private final Map<LabelSet, StreamPipeline> streamPipelines;
  private final SampleExtractor extractor;
  private final EvalContext ctx;

  private long lines; // entries counted as processed, and their line bytes
  private long lineBytes;

  // the current stream
  private LabelSet stream;
  private StreamPipeline sp;
  private LabelSet plain; // the series of an entry without metadata (null: no sample)
  private final Map<Label, Boolean> pairChanges = new HashMap<>(); // whether the pair alone changes the series
  // Entry by entry the series is computed once per metadata list. Blocks hand out immutable lists shared
  // by the entries with the same metadata, so the lists are remembered by identity: only a list
  // List.copyOf returns as is (immutable, its content cannot change) is kept; another one is recomputed
  // each time it differs from the last.
  private final Map<List<Label>, LabelSet> memo = new IdentityHashMap<>();
  private List<Label> lastMetadata;
  private boolean lastKept; // whether lastMetadata is immutable (then lastSeries holds for it)
  private LabelSet lastSeries; // null: such entries yield no sample

  /**
   * {@code streamPipelines} is the evaluator's cache of per-stream pipelines (filled here too);
   * {@code bytes}: the function sums line bytes.
   */
  StepCountReader(StepCounts counts, boolean bytes, long countedBefore, Pipeline pipeline,
      Map<LabelSet, StreamPipeline> streamPipelines, SampleExtractor extractor, EvalContext ctx) {
    this.counts = counts;
    this.bytes = bytes;
    this.countedBefore = countedBefore;
    this.pipeline = pipeline;
    this.streamPipelines = streamPipelines;
    this.extractor = extractor;
    this.ctx = ctx;
  }

  /** Reads every entry of {@code entries} into the counts; false when a series went past the cell budget. */
  boolean fill(EntryIterator entries) {
    EntryBatch batch = new EntryBatch();
    long read = 0;
    long nextCheck = 4096;
    while (entries.nextBatch(batch)) {
      read += batch.size();
      if (read >= nextCheck) {
        ctx.checkDeadline();
        nextCheck = read + 4096;
      }
      if (!add(batch)) return false;
    }
    return true;
  }

  /** Lines counted as processed (entries in some window, after {@code countedBefore}). */
  long lines() {
    return lines;
  }

  /** The line bytes of {@link #lines()}. */
  long lineBytes() {
    return lineBytes;
  }

  private boolean add(EntryBatch batch) {
    long first = batch.firstTimestamp(), last = batch.lastTimestamp();
    if (batch.labels() != stream) { // the streams come one after the other
      stream = batch.labels();
      sp = streamPipelines.computeIfAbsent(stream, pipeline::forStream);
      memo.clear();
      lastMetadata = null;
      pairChanges.clear();
      plain = seriesOf(first, List.of());
    }
    List<Label> pairs = batch.metadataLabels();
    boolean oneSeries = pairs != null && !anyChanges(pairs, first);
    if (oneSeries && (first > countedBefore || last <= countedBefore)) {
      // a block within one run of steps (most are, with steps longer than a block's time span) is
      // counted from its header: neither its timestamps nor its line lengths are decoded
      long spanBytes = bytes ? batch.lineBytes() : 0;
      int placed = counts.addSpan(plain, first, last, batch.size(), spanBytes);
      if (placed == -1) return false;
      if (placed >= 0) {
        if (placed > 0 && first > countedBefore) {
          lines += placed;
          lineBytes += bytes ? spanBytes : batch.lineBytes();
        }
        return true;
      }
    }
    return oneSeries ? addOneSeries(batch) : addEach(batch);
  }

  /** A batch whose entries all have the series {@link #plain}. */
  private boolean addOneSeries(EntryBatch batch) {
    long[] ts = batch.timestamps();
    int from = batch.start(), to = batch.end();
    int[] offsets = bytes ? batch.lineOffsets() : null;
    int k = firstAfter(ts, from, to, countedBefore);
    if (k > from && counts.addSorted(plain, ts, from, k, offsets) < 0) return false;
    int placed = counts.addSorted(plain, ts, k, to, offsets);
    if (placed < 0) return false;
    lines += placed;
    if (placed == to - k) {
      lineBytes += k == from ? batch.lineBytes() : (long) batch.lineOffsets()[to] - batch.lineOffsets()[k];
    } else if (placed > 0) {
      lineBytes += counts.placedBytes(ts, k, to, batch.lineOffsets());
    }
    return true;
  }

  /** A batch whose metadata may give its entries different series: entry by entry. */
  private boolean addEach(EntryBatch batch) {
    long[] ts = batch.timestamps();
    int[] offsets = batch.lineOffsets();
    for (int i = batch.start(), to = batch.end(); i < to; i++) {
      long t = ts[i];
      if (!counts.place(t)) continue;
      int len = offsets[i + 1] - offsets[i];
      if (t > countedBefore) {
        lines++;
        lineBytes += len;
      }
      List<Label> metadata = batch.metadata(i);
      if (metadata != lastMetadata || !lastKept) {
        LabelSet series = memo.get(metadata);
        boolean kept = series != null || memo.containsKey(metadata);
        if (!kept) {
          series = seriesOf(t, metadata);
          kept = List.copyOf(metadata) == metadata;
          if (kept) {
            if (memo.size() >= 256) memo.clear(); // the lists of many blocks of a long stream
            memo.put(metadata, series);
          }
        }
        lastMetadata = metadata;
        lastKept = kept;
        lastSeries = series;
      }
      if (lastSeries == null) continue;
      // the extractor's value: 1, or the line's bytes
      if (!counts.add(lastSeries, bytes ? len : 1)) return false;
    }
    return true;
  }

  /** The series of an entry of the current stream with {@code metadata}, or null when it yields no sample. */
  private LabelSet seriesOf(long ts, List<Label> metadata) {
    // without stages the line does not decide the series (the value, which it may, is not used here)
    PipelineResult r = sp.process(ts, NO_LINE, metadata);
    return r != null && extractor.extract(r) ? extractor.series() : null;
  }

  /** Whether one of {@code pairs}, alone as an entry's metadata, gives another series than {@link #plain}. */
  private boolean anyChanges(List<Label> pairs, long ts) {
    for (int i = 0, n = pairs.size(); i < n; i++) {
      Label pair = pairs.get(i);
      Boolean changes = pairChanges.get(pair);
      if (changes == null) {
        changes = !Objects.equals(seriesOf(ts, List.of(pair)), plain);
        pairChanges.put(pair, changes);
      }
      if (changes) return true;
    }
    return false;
  }

  /** The first index of {@code ts[from, to)} (ascending) with a timestamp after {@code t} ({@code to} when none). */
  private static int firstAfter(long[] ts, int from, int to, long t) {
    if (from >= to || ts[from] > t) return from;
    int lo = from, hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ts[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
