package io.lodge.querier.pipeline.label;

import io.lodge.querier.logql.ast.BinaryLabelFilter;
import io.lodge.querier.logql.ast.BytesLabelFilter;
import io.lodge.querier.logql.ast.DurationLabelFilter;
import io.lodge.querier.logql.ast.IpLabelFilter;
import io.lodge.querier.logql.ast.LabelFilterExpr;
import io.lodge.querier.logql.ast.NumericLabelFilter;
import io.lodge.querier.logql.ast.StringLabelFilter;
import io.lodge.querier.pipeline.filter.IpPattern;

/** Compiles a label filter tree of the AST (grouping as the parser chose it) to a {@link LabelPredicate}. */
public final class LabelFilters {
  private LabelFilters() {}

  public static LabelPredicate compile(LabelFilterExpr expr) {
    return switch (expr) {
      case StringLabelFilter s -> new StringFilter(s.matcher());
      case NumericLabelFilter n -> NumberFilter.number(n.name(), n.op(), n.value());
      case DurationLabelFilter d -> NumberFilter.duration(d.name(), d.op(), d.nanos());
      case BytesLabelFilter b -> NumberFilter.bytes(b.name(), b.op(), b.bytes());
      case IpLabelFilter ip -> new IpFilter(ip.name(), ip.negated(), IpPattern.parse(ip.pattern()));
      case BinaryLabelFilter b -> new BinaryFilter(compile(b.left()), compile(b.right()), b.and());
    };
  }
}
