package io.lodge.querier.api;

import io.lodge.config.LimitsConfig;
import java.time.Duration;

/**
 * The query-side limits of LOKI-COMPAT 2.17 as checks with Loki's messages, reusable by every endpoint.
 * A limit of zero (or a zero duration) is off, as in Loki.
 */
public record QueryLimits(LimitsConfig limits) {
  /** {@code max_entries_limit_per_query}: the requested {@code limit} may not exceed it. */
  public void checkEntries(int limit) {
    int max = limits.maxEntriesLimitPerQuery();
    if (max > 0 && limit > max) {
      throw new BadQueryException("max entries limit per query exceeded, limit > max_entries_limit_per_query ("
          + limit + " > " + max + ")");
    }
  }

  /** {@code max_query_length}: the range may not be longer (durations printed as Loki prints them). */
  public void checkQueryLength(TimeRange range) {
    Duration max = limits.maxQueryLength();
    if (max == null || max.isZero() || max.isNegative()) return;
    Duration length = Duration.ofNanos(range.endNanos() - range.startNanos());
    if (length.compareTo(max) > 0) {
      throw new BadQueryException("the query time range exceeds the limit (query length: " + GoDurations.go(length)
          + ", limit: " + GoDurations.prometheus(max) + ")");
    }
  }

  /** {@code max_query_series}: a metric result may hold at most that many series. */
  public void checkSeries(int series) {
    int max = limits.maxQuerySeries();
    if (max > 0 && series > max) {
      throw new BadQueryException("maximum of series (" + max + ") reached for a single query");
    }
  }

  /** {@code volume_max_series}: a volume answer may hold at most that many series. */
  public void checkVolumeSeries(int series) {
    int max = limits.volumeMaxSeries();
    if (max > 0 && series > max) {
      throw new BadQueryException("the query hit the max number of series limit (limit: " + max + " series)");
    }
  }

  /**
   * {@code max_query_bytes_read}: the bytes the query would read (e.g. {@code IndexStats.bytes()} of its
   * selector and range) may not exceed it; sizes printed like Go's humanize ({@code 83 MB}).
   */
  public void checkBytesRead(long bytes) {
    long max = limits.maxQueryBytesRead();
    if (max > 0 && bytes > max) {
      throw new BadQueryException("the query would read too many bytes (query: " + humanBytes(bytes) + ", limit: "
          + humanBytes(max) + "); consider adding more specific stream selectors or reduce the time range of the query");
    }
  }

  /** Go humanize's {@code Bytes}: SI units, one decimal below 10 ({@code 1.5 kB}, {@code 83 MB}, {@code 5 B}). */
  public static String humanBytes(long s) {
    if (s < 10) return s + " B";
    String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
    int e = (int) Math.floor(Math.log(s) / Math.log(1000));
    double val = Math.floor(s / Math.pow(1000, e) * 10 + 0.5) / 10;
    return (val < 10 ? String.format(java.util.Locale.ROOT, "%.1f", val) : String.format(java.util.Locale.ROOT, "%.0f", val))
        + " " + units[e];
  }

  /** A deadline {@code query_timeout} from now; check it in long loops. */
  public Deadline deadline() {
    Duration t = limits.queryTimeout();
    if (t == null || t.isZero() || t.isNegative()) return Deadline.NONE;
    return Deadline.after(t);
  }
}
