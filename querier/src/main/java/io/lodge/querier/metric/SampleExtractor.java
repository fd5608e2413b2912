package io.lodge.querier.metric;

import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.querier.logql.ast.Grouping;
import io.lodge.querier.logql.ast.LogRangeExpr;
import io.lodge.querier.logql.ast.RangeAggregationExpr.RangeOp;
import io.lodge.querier.logql.ast.UnwrapExpr;
import io.lodge.querier.pipeline.PipelineResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one entry, after the log pipeline, into a sample of a range aggregation (LOKI-COMPAT 3.11):
 * its value (1 per entry, the line's bytes, or the unwrapped label converted) and its series (all
 * labels, the unwrapped one removed, then grouped). A conversion failure adds
 * {@code __error__=SampleExtractionErr} before the post-unwrap filters run; a sample with an error keeps
 * all its labels whatever the grouping, so the error reaches the series check as in Loki.
 */
final class SampleExtractor {
  private final boolean bytes;
  private final UnwrapExpr unwrap;
  private final PostFilters postFilters;
  private final Grouping grouping;
  private final boolean keepUnwrapped;
  private final boolean errorsDropLabels;

  private LabelSet series;
  private double value;

  /**
   * Series labels by (stream, metadata, parsed) when nothing is unwrapped: most entries of a stream
   * share them, and building a label set (sorting, hashing its canonical text) per entry is the costly
   * part of a count. Keys hold copies; lookups may use the pipeline's live lists.
   */
  private record Key(LabelSet stream, List<Label> metadata, List<Label> parsed) {}

  private static final int CACHE_LIMIT = 4096;
  private final Map<Key, LabelSet> seriesCache = new HashMap<>();

  /**
   * With {@code by (...)} and no filter after unwrap, an entry without {@code __error__} has the series
   * "the by-labels it has, with their values": cached by those values, so an entry costs a few lookups in
   * its label lists instead of merging them into a label set (sort, hash) and grouping that. Null when
   * the grouping is absent or {@code without}, or filters other than matchers on {@code __error__} follow
   * the unwrap (they see all labels, typed ones may add an error).
   */
  private final String[] byNames;
  private final Map<List<String>, LabelSet> byValuesCache = new HashMap<>();
  private final String[] byScratch;
  /** Whether the post filters (matchers on __error__ only, on the shortcut) keep a sample without error. */
  private final boolean cleanPasses;
  private final List<String> byScratchView;

  /**
   * {@code grouping} is the range aggregation's own or the one pushed down from an outer {@code sum}
   * (null keeps all labels); {@code errorsDropLabels} is Loki's no-labels case where parsers are skipped.
   */
  SampleExtractor(RangeOp op, LogRangeExpr range, Grouping grouping, boolean errorsDropLabels) {
    this(op, range, grouping, errorsDropLabels, true);
  }

  /** {@code shortcuts} false: always the general path (tests compare both). */
  SampleExtractor(RangeOp op, LogRangeExpr range, Grouping grouping, boolean errorsDropLabels, boolean shortcuts) {
    this.bytes = op == RangeOp.BYTES_OVER_TIME || op == RangeOp.BYTES_RATE;
    this.unwrap = range.unwrap();
    this.postFilters = new PostFilters(unwrap == null ? List.of() : unwrap.postFilters());
    this.grouping = grouping;
    this.keepUnwrapped = unwrap != null && grouping != null && !grouping.without()
        && grouping.labels().contains(unwrap.label());
    this.errorsDropLabels = errorsDropLabels;
    this.byNames = shortcuts && grouping != null && !grouping.without() && postFilters.onlyErrorMatchers()
        ? grouping.labels().toArray(new String[0]) : null;
    this.cleanPasses = postFilters.apply(LabelSet.EMPTY) != null;
    this.byScratch = byNames == null ? null : new String[byNames.length];
    this.byScratchView = byNames == null ? null : Arrays.asList(byScratch);
  }

  /** Extracts a sample; false when the entry yields none. Read {@link #series()} and {@link #value()}. */
  boolean extract(PipelineResult r) {
    if (byNames != null) {
      // the general path below gives the same series: group(allLabels [without the unwrapped label]),
      // which for a by-grouping without __error__ (or where errors are grouped away) is the by-labels
      if (unwrap == null && (errorsDropLabels || lookup(r, PostFilters.ERROR) == null)) {
        value = bytes ? r.line().length : 1;
        series = byValues(r);
        return true;
      }
      if (unwrap != null) {
        String raw = lookup(r, unwrap.label());
        if (raw == null || raw.isEmpty()) return false;
        if (lookup(r, PostFilters.ERROR) == null) {
          try {
            value = convert(raw);
            if (!cleanPasses) return false;
            series = byValues(r);
            return true;
          } catch (GoNumbers.NumberFormatError e) {
            // the error labels change the series: the general path below builds it
          }
        }
      }
    }
    if (unwrap == null) {
      value = bytes ? r.line().length : 1;
      Key key = new Key(r.stream(), r.structuredMetadata(), r.parsed());
      LabelSet cached = seriesCache.get(key);
      if (cached == null) {
        cached = seriesOf(r.allLabels());
        if (seriesCache.size() >= CACHE_LIMIT) seriesCache.clear();
        seriesCache.put(new Key(r.stream(), List.copyOf(r.structuredMetadata()), List.copyOf(r.parsed())), cached);
      }
      series = cached;
      return true;
    }
    LabelSet labels = r.allLabels();
    double v;
    String raw = labels.get(unwrap.label());
    if (raw == null || raw.isEmpty()) return false;
    try {
      v = convert(raw);
    } catch (GoNumbers.NumberFormatError e) {
      v = 0;
      labels = labels.with(PostFilters.ERROR, "SampleExtractionErr").with(PostFilters.ERROR_DETAILS, e.getMessage());
    }
    if (!postFilters.isEmpty()) {
      labels = postFilters.apply(labels);
      if (labels == null) return false;
    }
    if (!keepUnwrapped) labels = labels.without(unwrap.label());
    series = seriesOf(labels);
    value = v;
    return true;
  }

  private double convert(String raw) throws GoNumbers.NumberFormatError {
    return switch (unwrap.conversion()) {
      case NONE -> GoNumbers.parseFloat(raw);
      case BYTES -> GoNumbers.parseBytes(raw);
      case DURATION, DURATION_SECONDS -> GoNumbers.parseDurationSeconds(raw);
    };
  }

  /** The series of an entry on the by-grouping shortcut: cached by the values of the by-labels. */
  private LabelSet byValues(PipelineResult r) {
    // looked up through a reused view of a scratch array (List equality and hash are by elements), so a
    // hit allocates nothing; a miss stores a copy
    for (int i = 0; i < byNames.length; i++) byScratch[i] = lookup(r, byNames[i]);
    LabelSet cached = byValuesCache.get(byScratchView);
    if (cached == null) {
      List<String> key = Arrays.asList(byScratch.clone());
      // built as the general path builds it, from the one entry: the by-labels are all it keeps
      LabelSet labels = r.allLabels();
      if (unwrap != null && !keepUnwrapped) labels = labels.without(unwrap.label());
      cached = Groupings.group(labels, grouping);
      if (byValuesCache.size() >= CACHE_LIMIT) byValuesCache.clear();
      byValuesCache.put(key, cached);
    }
    return cached;
  }

  /** The value {@link PipelineResult#allLabels()} would hold for {@code name}: parsed over metadata over stream. */
  static String lookup(PipelineResult r, String name) {
    List<Label> parsed = r.parsed();
    for (int i = parsed.size() - 1; i >= 0; i--) {
      if (parsed.get(i).name().equals(name)) return parsed.get(i).value();
    }
    List<Label> md = r.structuredMetadata();
    for (int i = md.size() - 1; i >= 0; i--) {
      if (md.get(i).name().equals(name)) return md.get(i).value();
    }
    return r.stream().get(name);
  }

  private LabelSet seriesOf(LabelSet labels) {
    if (grouping != null && (errorsDropLabels || !labels.has(PostFilters.ERROR))) {
      return Groupings.group(labels, grouping);
    }
    return labels;
  }

  LabelSet series() {
    return series;
  }

  double value() {
    return value;
  }

  /** Labels of {@code absent_over_time}'s sample: the selector's {@code =} matchers on names used once. */
  static LabelSet absentLabels(List<LabelMatcher> matchers) {
    Map<String, Integer> uses = new HashMap<>();
    for (var m : matchers) uses.merge(m.name(), 1, Integer::sum);
    List<Label> out = new ArrayList<>();
    for (var m : matchers) {
      if (m.type() == LabelMatcher.Type.EQ && uses.get(m.name()) == 1) {
        out.add(new Label(m.name(), m.value()));
      }
    }
    return LabelSet.of(out);
  }
}
