package io.lodge.querier.pipeline.label;

import io.lodge.querier.logql.ast.ComparisonOp;
import io.lodge.querier.pipeline.ErrorLabels;
import io.lodge.querier.pipeline.LabelsBuilder;

/**
 * Numeric, duration and bytes label filters (LOKI-COMPAT 3.6): the label is converted and compared
 * with the literal. Absent label: dropped. Conversion failure: kept with {@code LabelFilterErr} and the
 * conversion message as details. An entry that already has an error passes untested.
 */
public final class NumberFilter implements LabelPredicate {
  /** The three conversions. */
  public enum Kind { NUMBER, DURATION, BYTES }

  private final String name;
  private final ComparisonOp op;
  private final Kind kind;
  private final double number;
  private final long integral;

  private NumberFilter(String name, ComparisonOp op, Kind kind, double number, long integral) {
    this.name = name;
    this.op = op;
    this.kind = kind;
    this.number = number;
    this.integral = integral;
  }

  public static NumberFilter number(String name, ComparisonOp op, double value) {
    return new NumberFilter(name, op, Kind.NUMBER, value, 0);
  }

  public static NumberFilter duration(String name, ComparisonOp op, long nanos) {
    return new NumberFilter(name, op, Kind.DURATION, 0, nanos);
  }

  public static NumberFilter bytes(String name, ComparisonOp op, long bytes) {
    return new NumberFilter(name, op, Kind.BYTES, 0, bytes);
  }

  @Override
  public boolean test(LabelsBuilder labels) {
    if (labels.hasError()) return true;
    String v = labels.get(name);
    if (v == null) return false;
    try {
      return switch (kind) {
        case NUMBER -> op.test(GoNumbers.parseFloat(v), number);
        case DURATION -> compare(Long.compare(GoNumbers.parseDuration(v), integral));
        case BYTES -> compare(Long.compareUnsigned(GoNumbers.parseBytes(v), integral));
      };
    } catch (GoNumbers.ConversionException e) {
      labels.setErrorIfAbsent(ErrorLabels.LABEL_FILTER, e.getMessage());
      return true;
    }
  }

  private boolean compare(int c) {
    return switch (op) {
      case EQ -> c == 0;
      case NEQ -> c != 0;
      case GT -> c > 0;
      case GTE -> c >= 0;
      case LT -> c < 0;
      case LTE -> c <= 0;
    };
  }
}
