package io.lodge.ingester.validate;

import io.lodge.ingester.model.LabelSet;
import java.util.List;

/**
 * Loki's ingester-side texts (LOKI-COMPAT 1.8, 1.9) as pure formatting functions for the ingester: the
 * active-stream limit, the too-far-behind reason and the per-stream report of ignored entries.
 */
public final class StreamLimitMessage {
  /** Loki's ingester {@code max_returned_stream_errors}: at most this many entry lines in a report. */
  public static final int MAX_RETURNED_STREAM_ERRORS = 10;

  /** One ignored entry of a stream: its timestamp (Unix ns) and the reason text. */
  public record IgnoredEntry(long timestampNanos, String reason) {}

  private StreamLimitMessage() {}

  /** The 429 text when a new stream would exceed {@code max_global_streams_per_user}. */
  public static String streamLimit(LabelSet stream, String tenant) {
    return "Maximum active stream limit exceeded when trying to create stream " + stream.canonical()
        + ", reduce the number of active streams (reduce labels or reduce label values), or contact your Loki "
        + "administrator to see if the limit can be increased, user: '" + tenant + "'";
  }

  /** The reason text for an entry older than the stream's highest timestamp minus max_chunk_age/2 (RFC 3339). */
  public static String tooFarBehind(long entryNanos, long oldestAcceptableNanos) {
    return "entry too far behind, entry timestamp is: " + GoTime.rfc3339(entryNanos)
        + ", oldest acceptable timestamp is: " + GoTime.rfc3339(oldestAcceptableNanos);
  }

  /**
   * The per-stream report: one {@code entry with timestamp <ts> ignored, reason: '<reason>',} line per
   * ignored entry (at most {@link #MAX_RETURNED_STREAM_ERRORS}, timestamps in Go's {@code Time.String()}
   * form), then {@code user '<tenant>', total ignored: <n> out of <m> for stream: <labels>}.
   */
  public static String ingesterReport(String tenant, LabelSet stream, List<IgnoredEntry> ignored, int totalEntries) {
    StringBuilder sb = new StringBuilder(128 * Math.min(ignored.size(), MAX_RETURNED_STREAM_ERRORS) + 128);
    int shown = Math.min(ignored.size(), MAX_RETURNED_STREAM_ERRORS);
    for (int i = 0; i < shown; i++) {
      IgnoredEntry e = ignored.get(i);
      sb.append("entry with timestamp ").append(GoTime.string(e.timestampNanos())).append(" ignored, reason: '")
          .append(e.reason()).append("',\n");
    }
    sb.append("user '").append(tenant).append("', total ignored: ").append(ignored.size()).append(" out of ")
        .append(totalEntries).append(" for stream: ").append(stream.canonical());
    return sb.toString();
  }
}
