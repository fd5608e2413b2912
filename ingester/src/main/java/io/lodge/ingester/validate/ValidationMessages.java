package io.lodge.ingester.validate;

import io.lodge.ingester.model.LabelSet;
import java.util.List;

/** Loki's exact validation failure texts (LOKI-COMPAT 1.7, {@code pkg/validation/validate.go}); streams print canonically. */
public final class ValidationMessages {
  private ValidationMessages() {}

  /** L1. */
  public static final String MISSING_LABELS = "error at least one label pair is required per stream";

  /** L2. */
  public static String tooManyLabels(LabelSet stream, int count, int limit) {
    return "entry for stream '" + stream.canonical() + "' has " + count + " label names; limit " + limit;
  }

  /** L3. */
  public static String labelNameTooLong(LabelSet stream, String name) {
    return "stream '" + stream.canonical() + "' has label name too long: '" + name + "'";
  }

  /** L4. */
  public static String labelValueTooLong(LabelSet stream, String value) {
    return "stream '" + stream.canonical() + "' has label value too long: '" + value + "'";
  }

  /** L5. */
  public static String duplicateLabelName(LabelSet stream, String name) {
    return "stream '" + stream.canonical() + "' has duplicate label name: '" + name + "'";
  }

  /** L6: the missing names joined with commas. */
  public static String missingEnforcedLabels(List<String> missing, String tenant) {
    return "missing required labels " + String.join(",", missing) + " for user " + tenant;
  }

  /** E1: both times in Go's RFC 3339 (seconds). */
  public static String tooOld(LabelSet stream, long tsNanos, long oldestNanos) {
    return "entry for stream '" + stream.canonical() + "' has timestamp too old: " + GoTime.rfc3339(tsNanos)
        + ", oldest acceptable timestamp is: " + GoTime.rfc3339(oldestNanos);
  }

  /** E2. */
  public static String tooNew(LabelSet stream, long tsNanos) {
    return "entry for stream '" + stream.canonical() + "' has timestamp too new: " + GoTime.rfc3339(tsNanos);
  }

  /** E3. */
  public static String lineTooLong(long maxSize, LabelSet stream, int length) {
    return "Max entry size '" + maxSize + "' bytes exceeded for stream '" + stream.canonical()
        + "' while adding an entry with length '" + length + "' bytes";
  }

  /** E4. */
  public static String structuredMetadataDisallowed(LabelSet stream) {
    return "stream '" + stream.canonical() + "' includes structured metadata, but this feature is disallowed. "
        + "Please see `limits_config.allow_structured_metadata` or contact your Loki administrator to enable it.";
  }

  /** E5. */
  public static String structuredMetadataTooLarge(LabelSet stream, long size, long limit) {
    return "stream '" + stream.canonical() + "' has structured metadata too large: '" + size + "' bytes, limit: '"
        + limit + "' bytes. Please see `limits_config.max_structured_metadata_size` or contact your Loki "
        + "administrator to increase it.";
  }

  /** E6. */
  public static String structuredMetadataTooMany(LabelSet stream, int count, int limit) {
    return "stream '" + stream.canonical() + "' has too many structured metadata labels: '" + count + "', limit: '"
        + limit + "'. Please see `limits_config.max_structured_metadata_entries_count` or contact your Loki "
        + "administrator to increase it.";
  }

  /** The tenant rate limit's 429 text (LOKI-COMPAT 1.9). */
  public static String rateLimited(String tenant, long limitBytesPerSecond, long lines, long bytes) {
    return "Ingestion rate limit exceeded for user " + tenant + " (limit: " + limitBytesPerSecond
        + " bytes/sec) while attempting to ingest '" + lines + "' lines totaling '" + bytes
        + "' bytes, reduce log volume or contact your Loki administrator to see if the limit can be increased";
  }

  /** The blocked-ingestion text (LOKI-COMPAT 1.9); {@code until} in RFC 3339. */
  public static String ingestionBlocked(String tenant, long untilNanos, int status) {
    return "ingestion blocked for user " + tenant + " until '" + GoTime.rfc3339(untilNanos) + "' with status code '"
        + status + "'";
  }
}
