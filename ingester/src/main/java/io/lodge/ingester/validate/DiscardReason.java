package io.lodge.ingester.validate;

/**
 * Why entries were discarded: the {@code reason} label values of Loki's {@code discarded_samples_total}
 * and {@code discarded_bytes_total} (LOKI-COMPAT 2.13), plus {@code duplicate} for entries the ingester
 * drops silently because their timestamp and line equal the stream's last entry (1.8).
 */
public enum DiscardReason {
  LINE_TOO_LONG("line_too_long"),
  RATE_LIMITED("rate_limited"),
  PER_STREAM_RATE_LIMIT("per_stream_rate_limit"),
  STREAM_LIMIT("stream_limit"),
  GREATER_THAN_MAX_SAMPLE_AGE("greater_than_max_sample_age"),
  TOO_FAR_IN_FUTURE("too_far_in_future"),
  TOO_FAR_BEHIND("too_far_behind"),
  MAX_LABEL_NAMES_PER_SERIES("max_label_names_per_series"),
  LABEL_NAME_TOO_LONG("label_name_too_long"),
  LABEL_VALUE_TOO_LONG("label_value_too_long"),
  DUPLICATE_LABEL_NAMES("duplicate_label_names"),
  INVALID_LABELS("invalid_labels"),
  MISSING_LABELS("missing_labels"),
  DISALLOWED_STRUCTURED_METADATA("disallowed_structured_metadata"),
  STRUCTURED_METADATA_TOO_LARGE("structured_metadata_too_large"),
  STRUCTURED_METADATA_TOO_MANY("structured_metadata_too_many"),
  BLOCKED_INGESTION("blocked_ingestion"),
  MISSING_ENFORCED_LABELS("missing_enforced_labels"),
  DUPLICATE("duplicate");

  private final String label;

  DiscardReason(String label) {
    this.label = label;
  }

  /** The value of the metrics' {@code reason} label. */
  public String label() {
    return label;
  }

  @Override
  public String toString() {
    return label;
  }
}
