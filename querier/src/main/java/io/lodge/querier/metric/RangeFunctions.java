package io.lodge.querier.metric;

import io.lodge.querier.logql.ast.RangeAggregationExpr.RangeOp;
import java.util.Arrays;

/**
 * The value of a range function over one series' window (LOKI-COMPAT 3.11), with Prometheus' float
 * formulas where Loki uses them (incremental mean, Welford variance, interpolated quantile) so results
 * match to the last bit. {@code absent_over_time} is decided by the caller (it looks at all series).
 */
final class RangeFunctions {
  private RangeFunctions() {}

  /** Go's {@code Duration.Seconds()}: whole seconds plus the fraction, each converted on its own. */
  static double seconds(long nanos) {
    return (double) (nanos / 1_000_000_000L) + (double) (nanos % 1_000_000_000L) / 1e9;
  }

  /**
   * The function value; {@code unwrapped} says whether samples carry label values (rate is then the
   * sum per second) or one per entry; {@code param} is quantile's φ.
   */
  static double apply(RangeOp op, SeriesWindow w, long rangeNanos, boolean unwrapped, double param) {
    return switch (op) {
      case COUNT_OVER_TIME -> w.count();
      case RATE -> unwrapped ? sum(w) / seconds(rangeNanos) : w.count() / seconds(rangeNanos);
      case BYTES_OVER_TIME -> w.integralSum();
      case SUM_OVER_TIME -> sum(w);
      case BYTES_RATE -> w.integralSum() / seconds(rangeNanos);
      case ABSENT_OVER_TIME -> 1;
      case AVG_OVER_TIME -> avg(w);
      case MIN_OVER_TIME -> min(w);
      case MAX_OVER_TIME -> max(w);
      case STDVAR_OVER_TIME -> stdvar(w);
      case STDDEV_OVER_TIME -> Math.sqrt(stdvar(w));
      case QUANTILE_OVER_TIME -> quantile(param, w);
      case FIRST_OVER_TIME -> w.value(0);
      case LAST_OVER_TIME -> w.value(w.size() - 1);
      case RATE_COUNTER -> rateCounter(w, rangeNanos);
    };
  }

  static double sum(SeriesWindow w) {
    double s = 0;
    for (int i = 0; i < w.size(); i++) s += w.value(i);
    return s;
  }

  static double avg(SeriesWindow w) {
    double mean = 0;
    double count = 0;
    for (int i = 0; i < w.size(); i++) {
      double v = w.value(i);
      count++;
      if (Double.isInfinite(mean)) {
        // Inf - Inf would turn the mean into NaN: an infinite mean stays unless a NaN or the
        // opposite infinity arrives
        if (Double.isInfinite(v) && (mean > 0) == (v > 0)) continue;
        if (!Double.isInfinite(v) && !Double.isNaN(v)) continue;
      }
      mean += v / count - mean / count;
    }
    return mean;
  }

  static double min(SeriesWindow w) {
    double m = w.value(0);
    for (int i = 0; i < w.size(); i++) {
      double v = w.value(i);
      if (v < m || Double.isNaN(m)) m = v;
    }
    return m;
  }

  static double max(SeriesWindow w) {
    double m = w.value(0);
    for (int i = 0; i < w.size(); i++) {
      double v = w.value(i);
      if (v > m || Double.isNaN(m)) m = v;
    }
    return m;
  }

  static double stdvar(SeriesWindow w) {
    double aux = 0;
    double count = 0;
    double mean = 0;
    for (int i = 0; i < w.size(); i++) {
      double v = w.value(i);
      count++;
      double delta = v - mean;
      mean += delta / count;
      aux += delta * (v - mean);
    }
    return aux / count;
  }

  static double quantile(double q, SeriesWindow w) {
    int n = w.size();
    if (n == 0) return Double.NaN;
    if (q < 0) return Double.NEGATIVE_INFINITY;
    if (q > 1) return Double.POSITIVE_INFINITY;
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = w.value(i);
    sortNaNFirst(v);
    double rank = q * (n - 1);
    double lower = Math.max(0, Math.floor(rank));
    double upper = Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return v[(int) lower] * (1 - weight) + v[(int) upper] * weight;
  }

  /** Go's {@code sort.Float64s}: ascending with NaNs first (Java's sort puts them last). */
  static void sortNaNFirst(double[] v) {
    Arrays.sort(v);
    int nan = 0;
    for (int i = v.length - 1; i >= 0 && Double.isNaN(v[i]); i--) nan++;
    if (nan == 0) return;
    System.arraycopy(v, 0, v, nan, v.length - nan);
    Arrays.fill(v, 0, nan, Double.NaN);
  }

  /**
   * Loki 3.4.6's {@code rate_counter} (LOKI-COMPAT 3.11): a counter increase with reset correction,
   * extrapolated with nanosecond timestamps fed to millisecond formulas; fewer than 2 samples give 0.
   */
  static double rateCounter(SeriesWindow w, long rangeNanos) {
    int n = w.size();
    if (n < 2) return 0;
    double first = w.value(0);
    double last = w.value(n - 1);
    double inc = last - first;
    for (int i = 1; i < n; i++) {
      double prev = w.value(i - 1);
      if (w.value(i) < prev) inc += prev;
    }
    double sampled = (double) (w.timestamp(n - 1) - w.timestamp(0)) / 1000;
    double avgInterval = sampled / (n - 1);
    double range = seconds(rangeNanos);
    double d = range;
    if (inc > 0 && first >= 0) {
      double toZero = sampled * (first / inc);
      if (toZero < d) d = toZero;
    }
    double ext = d < avgInterval * 1.1 ? d : avgInterval / 2;
    return inc * ((sampled + ext) / sampled) / range;
  }
}
