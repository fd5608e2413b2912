package io.lodge.ingester.validate;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.model.EntryBatch;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Distributor-side validation of a decoded push and Loki's ingest-time transformations
 * (LOKI-COMPAT 1.6 items 2-4, 1.7). Per stream, in request order: streams without entries are skipped
 * silently; lines are truncated when {@code max_line_size_truncate} is on; then L1, L2, L3/L4/L5 label by
 * label in sorted order, L6; then E1-E6 per entry. A failing stream or entry is dropped with Loki's
 * message and counted under its discard reason; everything else is accepted (partial success). Accepted
 * entries get normalised structured metadata, {@code detected_level} and, when configured, bumped
 * duplicate timestamps. Sits after the push decoders and before the block check and the tenant rate
 * limit. Thread-safe: holds only configuration and the (thread-safe) metrics.
 */
public final class Validator {
  /** Streams with this label are Loki-internal and skip L2-L5. */
  public static final String AGGREGATED_METRIC_LABEL = "__aggregated_metric__";
  /** Loki's discovered service label; it does not count towards L2. */
  public static final String SERVICE_NAME_LABEL = "service_name";

  private final LimitsConfig limits;
  private final ValidationMetrics metrics;
  private final List<String> levelFields;
  private final boolean discoverLevels;

  public Validator(LimitsConfig limits, ValidationMetrics metrics) {
    this.limits = limits;
    this.metrics = metrics;
    this.levelFields = limits.logLevelFields().isEmpty() ? LimitsConfig.DEFAULT_LOG_LEVEL_FIELDS : limits.logLevelFields();
    this.discoverLevels = limits.discoverLogLevels() && limits.allowStructuredMetadata();
  }

  /**
   * Validates and transforms {@code request} for {@code tenant} at wall-clock {@code nowNanos} (Unix ns),
   * records the discards and the received counts in the metrics, and returns the accepted part.
   */
  public ValidationResult validate(String tenant, PushRequest request, long nowNanos) {
    List<String> errors = new ArrayList<>();
    EnumMap<DiscardReason, DiscardCount> discards = new EnumMap<>(DiscardReason.class);
    List<PushStream> accepted = new ArrayList<>(request.streams().size());
    LevelDetector levels = discoverLevels ? new LevelDetector(levelFields) : null;
    long oldest = nowNanos - limits.rejectOldSamplesMaxAge().toNanos();
    long newest = nowNanos + limits.creationGracePeriod().toNanos();
    int acceptedLines = 0;
    long acceptedBytes = 0;

    long truncateTo = limits.maxLineSizeTruncate() ? limits.maxLineSize() : 0;
    for (PushStream stream : request.streams()) {
      EntryBatch entries = stream.entries();
      int count = entries.size();
      if (count == 0) continue;
      LabelSet labels = stream.labels();

      String failure = checkLabels(labels, tenant, discards, entries, truncateTo);
      if (failure != null) {
        errors.add(failure);
        continue;
      }

      EntryBatch.Builder kept = new EntryBatch.Builder(count);
      byte[] prevLine = null;
      long prevTs = 0;
      boolean streamHasLevel = levels != null && levels.hasLevelLabel(labels);
      long prevOriginalTs = entries.timestampNanos(0);
      for (int i = 0; i < count; i++) {
        // Loki cuts bytes, not characters: a multi-byte character at the cut is split as in Loki
        byte[] line = truncated(entries.line(i), truncateTo);
        List<Label> received = entries.metadata(i);
        long originalTs = entries.timestampNanos(i);
        failure = checkEntry(labels, originalTs, line.length, received, oldest, newest, discards);
        if (failure != null) {
          errors.add(failure);
          continue;
        }
        // charged as received, before normalisation: the same measure as the discards, so that accepted
        // plus discarded bytes always add up to what came in
        long bytes = line.length + metadataBytes(received);
        List<Label> metadata = MetadataNormalizer.normalize(received);
        if (levels != null && !hasName(metadata, LevelDetector.DETECTED_LEVEL)) {
          String level = streamHasLevel ? levels.detect(labels, metadata, line) : levels.detect(metadata, line);
          int known = metadata.isEmpty() && level != null ? LevelDetector.levelIndex(level) : -1;
          if (known >= 0) {
            metadata = LevelDetector.loneLevel(known); // the common case, shared: no list and no label per entry
          } else if (level != null) {
            List<Label> withLevel = new ArrayList<>(metadata.size() + 1);
            withLevel.addAll(metadata);
            withLevel.add(new Label(LevelDetector.DETECTED_LEVEL, level));
            metadata = withLevel;
          }
        }
        long ts = originalTs;
        if (limits.incrementDuplicateTimestamp() && prevLine != null) {
          // Loki's rule: a different line at the previous entry's original or bumped timestamp moves to
          // the previous (bumped) timestamp + 1ns; identical lines keep theirs so they still de-duplicate
          if (!Arrays.equals(prevLine, line) && (ts == prevOriginalTs || ts == prevTs)) {
            ts = prevTs + 1;
          } else {
            prevOriginalTs = ts;
          }
        }
        kept.add(ts, line, metadata);
        prevLine = line;
        prevTs = ts;
        acceptedLines++;
        acceptedBytes += bytes;
      }
      if (kept.size() > 0) accepted.add(new PushStream(labels, kept.build()));
    }

    for (Map.Entry<DiscardReason, DiscardCount> d : discards.entrySet()) {
      metrics.discarded(d.getKey(), tenant, d.getValue().lines(), d.getValue().bytes());
    }
    metrics.received(tenant, acceptedLines, acceptedBytes);
    return new ValidationResult(new PushRequest(accepted), errors, acceptedLines, acceptedBytes, discards);
  }

  /** L1-L6 for a stream; on failure counts the whole stream as discarded and returns the message. */
  private String checkLabels(LabelSet labels, String tenant, Map<DiscardReason, DiscardCount> discards,
      EntryBatch entries, long truncateTo) {
    DiscardReason reason = null;
    String message = null;
    if (labels.isEmpty()) {
      reason = DiscardReason.MISSING_LABELS;
      message = ValidationMessages.MISSING_LABELS;
    } else if (!labels.has(AGGREGATED_METRIC_LABEL)) {
      int names = labels.size() - (labels.has(SERVICE_NAME_LABEL) ? 1 : 0);
      if (names > limits.maxLabelNamesPerSeries()) {
        reason = DiscardReason.MAX_LABEL_NAMES_PER_SERIES;
        message = ValidationMessages.tooManyLabels(labels, names, limits.maxLabelNamesPerSeries());
      } else {
        String previous = null;
        for (Label l : labels.labels()) {
          if (utf8Length(l.name()) > limits.maxLabelNameLength()) {
            reason = DiscardReason.LABEL_NAME_TOO_LONG;
            message = ValidationMessages.labelNameTooLong(labels, l.name());
          } else if (utf8Length(l.value()) > limits.maxLabelValueLength()) {
            reason = DiscardReason.LABEL_VALUE_TOO_LONG;
            message = ValidationMessages.labelValueTooLong(labels, l.value());
          } else if (l.name().equals(previous)) {
            reason = DiscardReason.DUPLICATE_LABEL_NAMES;
            message = ValidationMessages.duplicateLabelName(labels, l.name());
          }
          if (reason != null) break;
          previous = l.name();
        }
      }
    }
    if (reason == null && !limits.enforcedLabels().isEmpty()) {
      List<String> missing = new ArrayList<>();
      for (String name : limits.enforcedLabels()) if (!labels.has(name)) missing.add(name);
      if (!missing.isEmpty()) {
        reason = DiscardReason.MISSING_ENFORCED_LABELS;
        message = ValidationMessages.missingEnforcedLabels(missing, tenant);
      }
    }
    if (reason == null) return null;
    long bytes = 0;
    for (int i = 0; i < entries.size(); i++) {
      int length = entries.lineLength(i);
      bytes += (truncateTo != 0 ? Math.min(length, truncateTo) : length) + metadataBytes(entries.metadata(i));
    }
    discards.merge(reason, new DiscardCount(entries.size(), bytes), (a, b) -> a.plus(b.lines(), b.bytes()));
    return message;
  }

  /** E1-E6 for one entry; on failure counts it as discarded and returns the message. */
  private String checkEntry(LabelSet labels, long ts, int lineLength, List<Label> metadata, long oldest, long newest,
      Map<DiscardReason, DiscardCount> discards) {
    long metadataBytes = metadataBytes(metadata);
    DiscardReason reason = null;
    String message = null;
    if (limits.rejectOldSamples() && ts < oldest) {
      reason = DiscardReason.GREATER_THAN_MAX_SAMPLE_AGE;
      message = ValidationMessages.tooOld(labels, ts, oldest);
    } else if (ts > newest) {
      reason = DiscardReason.TOO_FAR_IN_FUTURE;
      message = ValidationMessages.tooNew(labels, ts);
    } else if (limits.maxLineSize() != 0 && lineLength > limits.maxLineSize()) {
      reason = DiscardReason.LINE_TOO_LONG;
      message = ValidationMessages.lineTooLong(limits.maxLineSize(), labels, lineLength);
    } else if (!metadata.isEmpty()) {
      if (!limits.allowStructuredMetadata()) {
        reason = DiscardReason.DISALLOWED_STRUCTURED_METADATA;
        message = ValidationMessages.structuredMetadataDisallowed(labels);
      } else if (limits.maxStructuredMetadataSize() != 0 && metadataBytes > limits.maxStructuredMetadataSize()) {
        reason = DiscardReason.STRUCTURED_METADATA_TOO_LARGE;
        message = ValidationMessages.structuredMetadataTooLarge(labels, metadataBytes, limits.maxStructuredMetadataSize());
      } else if (limits.maxStructuredMetadataEntriesCount() != 0
          && metadata.size() > limits.maxStructuredMetadataEntriesCount()) {
        reason = DiscardReason.STRUCTURED_METADATA_TOO_MANY;
        message = ValidationMessages.structuredMetadataTooMany(labels, metadata.size(),
            limits.maxStructuredMetadataEntriesCount());
      }
    }
    if (reason == null) return null;
    long bytes = lineLength + metadataBytes;
    discards.merge(reason, new DiscardCount(1, bytes), (a, b) -> a.plus(b.lines(), b.bytes()));
    return message;
  }

  /** {@code line} cut to its first {@code max} bytes when it is longer and {@code max} is not 0. */
  private static byte[] truncated(byte[] line, long max) {
    return max != 0 && line.length > max ? Arrays.copyOf(line, (int) max) : line;
  }

  /**
   * Line plus structured-metadata bytes, {@code detected_level} excluded, summed over {@code entries}: what
   * limits and metrics count.
   */
  public static long entryBytes(EntryBatch entries) {
    long n = 0;
    for (int i = 0, size = entries.size(); i < size; i++) {
      n += entries.lineLength(i) + metadataBytes(entries.metadata(i));
    }
    return n;
  }

  /** Sum of UTF-8 name and value lengths, {@code detected_level} excluded (Loki does not charge for it). */
  public static long metadataBytes(List<Label> metadata) {
    int size = metadata.size();
    if (size == 0) return 0;
    if (size == 1) { // the common case once levels are detected: a detected_level alone, charged nothing
      Label only = metadata.get(0);
      return only.name().equals(LevelDetector.DETECTED_LEVEL) ? 0 : utf8Length(only.name()) + utf8Length(only.value());
    }
    long n = 0;
    for (Label l : metadata) {
      if (l.name().equals(LevelDetector.DETECTED_LEVEL)) continue;
      n += utf8Length(l.name()) + utf8Length(l.value());
    }
    return n;
  }

  private static boolean hasName(List<Label> metadata, String name) {
    for (Label l : metadata) if (l.name().equals(name)) return true;
    return false;
  }

  static int utf8Length(String s) {
    int n = s.length();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) continue;
      if (c < 0x800) {
        n += 1;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 2; // 4 bytes for 2 chars
        i++;
      } else {
        n += 2; // 3 bytes for 1 char (a lone surrogate becomes U+FFFD, also 3 bytes)
      }
    }
    return n;
  }
}
