package io.lodge.querier.metric;

import io.lodge.ingester.model.LabelSet;
import io.lodge.querier.logql.ast.Grouping;
import io.lodge.querier.logql.ast.VectorAggregationExpr.VectorOp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * {@code sum/avg/min/max/count/stddev/stdvar/topk/bottomk/sort/sort_desc} across the series of one step
 * (LOKI-COMPAT 3.12), with Prometheus' float formulas (running mean, Welford variance) and its topk
 * rule (a later sample replaces the kept one only when strictly better). topk/bottomk and sort keep the
 * original labels; the others keep the grouping labels.
 */
final class VectorAggregationEvaluator implements StepEvaluator {
  private final VectorOp op;
  private final StepEvaluator inner;
  private final Grouping grouping;
  private final int k;

  VectorAggregationEvaluator(VectorOp op, StepEvaluator inner, Grouping grouping, Integer k) {
    this.op = op == VectorOp.APPROX_TOPK ? VectorOp.TOPK : op;
    this.inner = inner;
    this.grouping = grouping;
    this.k = k == null ? 0 : k;
  }

  private static final class Group {
    final LabelSet labels;
    double value;
    double mean;
    double count;
    PriorityQueue<Sample> heap;

    Group(LabelSet labels) {
      this.labels = labels;
    }
  }

  @Override
  public List<Sample> next() {
    List<Sample> in = inner.next();
    if (op == VectorOp.SORT || op == VectorOp.SORT_DESC) return sort(in);
    Map<LabelSet, Group> groups = new LinkedHashMap<>();
    for (Sample s : in) {
      LabelSet key = Groupings.group(s.labels(), grouping);
      Group g = groups.get(key);
      double v = s.value();
      if (g == null) {
        g = new Group(key);
        groups.put(key, g);
        g.value = v;
        g.mean = v;
        g.count = 1;
        if (op == VectorOp.STDDEV || op == VectorOp.STDVAR) g.value = 0;
        if (op == VectorOp.TOPK || op == VectorOp.BOTTOMK) {
          g.heap = new PriorityQueue<>(op == VectorOp.TOPK ? TOPK_ORDER : BOTTOMK_ORDER);
          g.heap.add(s);
        }
        continue;
      }
      switch (op) {
        case SUM -> g.value += v;
        case AVG -> {
          g.count++;
          if (Double.isInfinite(g.mean)) {
            if (Double.isInfinite(v) && (g.mean > 0) == (v > 0)) break;
            if (!Double.isInfinite(v) && !Double.isNaN(v)) break;
          }
          g.mean += v / g.count - g.mean / g.count;
        }
        case COUNT -> g.count++;
        case MAX -> {
          if (g.value < v || Double.isNaN(g.value)) g.value = v;
        }
        case MIN -> {
          if (g.value > v || Double.isNaN(g.value)) g.value = v;
        }
        case STDDEV, STDVAR -> {
          g.count++;
          double delta = v - g.mean;
          g.mean += delta / g.count;
          g.value += delta * (v - g.mean);
        }
        case TOPK, BOTTOMK -> {
          if (g.heap.size() < k) {
            g.heap.add(s);
          } else if (better(v, g.heap.peek().value())) {
            g.heap.poll();
            g.heap.add(s);
          }
        }
        default -> throw new IllegalStateException("vector op " + op);
      }
    }
    List<Sample> out = new ArrayList<>(groups.size());
    for (Group g : groups.values()) {
      switch (op) {
        case SUM, MAX, MIN -> out.add(new Sample(g.labels, g.value));
        case AVG -> out.add(new Sample(g.labels, g.mean));
        case COUNT -> out.add(new Sample(g.labels, g.count));
        case STDVAR -> out.add(new Sample(g.labels, g.value / g.count));
        case STDDEV -> out.add(new Sample(g.labels, Math.sqrt(g.value / g.count)));
        case TOPK, BOTTOMK -> {
          List<Sample> kept = new ArrayList<>(g.heap);
          kept.sort((op == VectorOp.TOPK ? TOPK_ORDER : BOTTOMK_ORDER).reversed());
          out.addAll(kept);
        }
        default -> throw new IllegalStateException("vector op " + op);
      }
    }
    return out;
  }

  /** Whether {@code v} displaces the worst kept sample {@code worst} of topk/bottomk (NaN is worst). */
  private boolean better(double v, double worst) {
    if (Double.isNaN(worst)) return !Double.isNaN(v);
    return op == VectorOp.TOPK ? v > worst : v < worst;
  }

  // heap orders: the head is the sample to evict first (NaN, then the smallest for topk / largest for bottomk)
  private static final Comparator<Sample> TOPK_ORDER = (a, b) -> {
    if (Double.isNaN(a.value()) || Double.isNaN(b.value())) {
      return Boolean.compare(!Double.isNaN(a.value()), !Double.isNaN(b.value()));
    }
    return Double.compare(a.value(), b.value());
  };
  private static final Comparator<Sample> BOTTOMK_ORDER = (a, b) -> {
    if (Double.isNaN(a.value()) || Double.isNaN(b.value())) {
      return Boolean.compare(!Double.isNaN(a.value()), !Double.isNaN(b.value()));
    }
    return Double.compare(b.value(), a.value());
  };

  /** sort (ascending) / sort_desc: stable, NaN last, labels untouched. */
  private List<Sample> sort(List<Sample> in) {
    List<Sample> out = new ArrayList<>(in);
    boolean desc = op == VectorOp.SORT_DESC;
    out.sort((a, b) -> {
      boolean an = Double.isNaN(a.value());
      boolean bn = Double.isNaN(b.value());
      if (an || bn) return Boolean.compare(an, bn);
      return desc ? Double.compare(b.value(), a.value()) : Double.compare(a.value(), b.value());
    });
    return out;
  }

  @Override
  public void close() {
    inner.close();
  }
}
