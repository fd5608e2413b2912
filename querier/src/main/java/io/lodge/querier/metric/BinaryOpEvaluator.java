package io.lodge.querier.metric;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.querier.logql.ast.BinaryOp;
import io.lodge.querier.logql.ast.VectorMatching;
import io.lodge.querier.logql.ast.VectorMatching.Card;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A binary operator between two vectors or a vector and a scalar (LOKI-COMPAT 3.13): PromQL's
 * one-to-one, many-to-one ({@code group_left}) and one-to-many ({@code group_right}) matching on
 * {@code on}/{@code ignoring} labels and its result-label rules; comparisons filter unless {@code bool};
 * {@code and}/{@code or}/{@code unless} as set operations on the matching labels.
 */
final class BinaryOpEvaluator implements StepEvaluator {
  private final BinaryOp op;
  private final StepEvaluator left;
  private final StepEvaluator right;
  private final Double leftScalar;
  private final Double rightScalar;
  private final boolean returnBool;
  private final VectorMatching matching;

  /** A null evaluator with a non-null scalar marks a literal leg. */
  BinaryOpEvaluator(BinaryOp op, StepEvaluator left, Double leftScalar, StepEvaluator right, Double rightScalar,
      boolean returnBool, VectorMatching matching) {
    this.op = op;
    this.left = left;
    this.right = right;
    this.leftScalar = leftScalar;
    this.rightScalar = rightScalar;
    this.returnBool = returnBool;
    this.matching = matching == null ? new VectorMatching(false, List.of(), Card.ONE_TO_ONE, List.of()) : matching;
  }

  @Override
  public List<Sample> next() {
    if (leftScalar != null) return withScalar(right.next(), leftScalar, true);
    if (rightScalar != null) return withScalar(left.next(), rightScalar, false);
    List<Sample> l = left.next();
    List<Sample> r = right.next();
    return switch (op) {
      case AND -> and(l, r, true);
      case UNLESS -> and(l, r, false);
      case OR -> or(l, r);
      default -> match(l, r);
    };
  }

  private List<Sample> withScalar(List<Sample> vector, double scalar, boolean scalarLeft) {
    List<Sample> out = new ArrayList<>(vector.size());
    for (Sample s : vector) {
      double v = scalarLeft ? op.apply(scalar, s.value()) : op.apply(s.value(), scalar);
      if (op.isComparison() && !returnBool) {
        if (v == 1) out.add(s); // the vector's sample passes with its own value
      } else {
        out.add(new Sample(s.labels(), v));
      }
    }
    return out;
  }

  /** The labels two samples are matched on. */
  private LabelSet signature(LabelSet labels) {
    List<Label> out = new ArrayList<>(labels.size());
    for (Label l : labels.labels()) {
      if (matching.labels().contains(l.name()) == matching.on()) out.add(l);
    }
    return out.size() == labels.size() ? labels : LabelSet.of(out);
  }

  private List<Sample> and(List<Sample> l, List<Sample> r, boolean keepMatched) {
    Set<LabelSet> rightSigs = new HashSet<>();
    for (Sample s : r) rightSigs.add(signature(s.labels()));
    List<Sample> out = new ArrayList<>();
    for (Sample s : l) if (rightSigs.contains(signature(s.labels())) == keepMatched) out.add(s);
    return out;
  }

  private List<Sample> or(List<Sample> l, List<Sample> r) {
    Set<LabelSet> leftSigs = new HashSet<>();
    List<Sample> out = new ArrayList<>(l);
    for (Sample s : l) leftSigs.add(signature(s.labels()));
    for (Sample s : r) if (!leftSigs.contains(signature(s.labels()))) out.add(s);
    return out;
  }

  private List<Sample> match(List<Sample> l, List<Sample> r) {
    boolean swap = matching.card() == Card.ONE_TO_MANY;
    List<Sample> many = swap ? r : l;
    List<Sample> one = swap ? l : r;
    Map<LabelSet, Sample> oneBySig = new HashMap<>();
    for (Sample s : one) {
      if (oneBySig.put(signature(s.labels()), s) != null) {
        throw new MetricEvaluationException("found duplicate series on the " + (swap ? "left" : "right")
            + " hand-side of the operation: many-to-many matching not allowed: matching labels must be unique on one side");
      }
    }
    Map<LabelSet, Set<LabelSet>> matched = new HashMap<>();
    List<Sample> out = new ArrayList<>();
    for (Sample s : many) {
      LabelSet sig = signature(s.labels());
      Sample o = oneBySig.get(sig);
      if (o == null) continue;
      LabelSet metric = resultLabels(s.labels(), o.labels());
      if (matching.card() == Card.ONE_TO_ONE) {
        if (matched.containsKey(sig)) {
          throw new MetricEvaluationException(
              "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
        }
        matched.put(sig, Set.of());
      } else if (!matched.computeIfAbsent(sig, x -> new HashSet<>()).add(metric)) {
        throw new MetricEvaluationException("multiple matches for labels: grouping labels must ensure unique matches");
      }
      double lv = swap ? o.value() : s.value();
      double rv = swap ? s.value() : o.value();
      double v = op.apply(lv, rv);
      if (op.isComparison() && !returnBool) {
        if (v != 1) continue;
        v = lv;
      }
      out.add(new Sample(metric, v));
    }
    return out;
  }

  /** PromQL's result labels: the "many" side's, reduced for one-to-one, plus group_x labels from "one". */
  private LabelSet resultLabels(LabelSet many, LabelSet one) {
    LabelSet out = many;
    if (matching.card() == Card.ONE_TO_ONE) {
      out = signatureOnly(many);
    }
    for (String name : matching.include()) {
      String v = one.get(name);
      out = v != null && !v.isEmpty() ? out.with(name, v) : out.without(name);
    }
    return out;
  }

  private LabelSet signatureOnly(LabelSet labels) {
    if (!matching.on() && matching.labels().isEmpty()) return labels;
    return signature(labels);
  }

  @Override
  public void close() {
    if (left != null) left.close();
    if (right != null) right.close();
  }
}
