package io.lodge.ingester.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidatorTest {
  static final long NOW = Instant.parse("2024-01-02T03:04:05Z").getEpochSecond() * 1_000_000_000L;
  static final long SEC = 1_000_000_000L;
  static final String T = "tenant-1";

  private ValidationMetrics metrics = new ValidationMetrics(new PrometheusRegistry());

  private ValidationResult run(LimitsConfig limits, PushStream... streams) {
    return new Validator(limits, metrics).validate(T, new PushRequest(List.of(streams)), NOW);
  }

  private ValidationResult run(PushStream... streams) {
    return run(LimitsConfig.defaults(), streams);
  }

  static PushStream stream(LabelSet labels, LogEntry... entries) {
    return new PushStream(labels, List.of(entries));
  }

  static LogEntry entry(long ts, String line, String... sm) {
    List<Label> md = new ArrayList<>();
    for (int i = 0; i < sm.length; i += 2) md.add(new Label(sm[i], sm[i + 1]));
    return LogEntry.of(ts, line, md);
  }

  private static LabelSet manyLabels(int n, String... extra) {
    List<Label> l = new ArrayList<>();
    for (int i = 0; i < n; i++) l.add(new Label("l" + (char) ('a' + i), "v"));
    for (int i = 0; i < extra.length; i += 2) l.add(new Label(extra[i], extra[i + 1]));
    return LabelSet.of(l);
  }

  @Test
  void validPushIsAcceptedWithDetectedLevelAndCounts() {
    ValidationResult r = run(stream(LabelSet.of("app", "web"), entry(NOW, "level=error msg=x"), entry(NOW + 1, "hello")));
    assertThat(r.hasErrors()).isFalse();
    assertThat(r.acceptedLines()).isEqualTo(2);
    assertThat(r.acceptedBytes()).isEqualTo("level=error msg=x".length() + "hello".length());
    List<LogEntry> e = r.accepted().streams().get(0).entries();
    assertThat(e.get(0).metadata()).containsExactly(new Label("detected_level", "error"));
    assertThat(e.get(1).metadata()).containsExactly(new Label("detected_level", "unknown"));
    assertThat(r.discards()).isEmpty();
    assertThat(metrics.linesReceived(T)).isEqualTo(2);
    assertThat(metrics.bytesReceived(T)).isEqualTo(22);
  }

  @Test
  void streamsWithoutEntriesAreSkippedSilentlyEvenWithoutLabels() {
    ValidationResult r = run(stream(LabelSet.EMPTY), stream(LabelSet.of("a", "1")));
    assertThat(r.hasErrors()).isFalse();
    assertThat(r.accepted().streams()).isEmpty();
  }

  @Test
  void l1StreamWithoutLabels() {
    ValidationResult r = run(stream(LabelSet.EMPTY, entry(NOW, "abc"), entry(NOW, "de")));
    assertThat(r.errors()).containsExactly("error at least one label pair is required per stream");
    assertThat(r.discards()).containsExactly(Map.entry(DiscardReason.MISSING_LABELS, new DiscardCount(2, 5)));
    assertThat(metrics.discardedSamples(DiscardReason.MISSING_LABELS, T)).isEqualTo(2);
    assertThat(metrics.discardedBytes(DiscardReason.MISSING_LABELS, T)).isEqualTo(5);
  }

  @Test
  void l2TooManyLabelNamesButServiceNameIsFree() {
    LabelSet sixteen = manyLabels(16);
    ValidationResult r = run(stream(sixteen, entry(NOW, "x")));
    assertThat(r.errors()).containsExactly("entry for stream '" + sixteen.canonical() + "' has 16 label names; limit 15");
    assertThat(r.discards()).containsKey(DiscardReason.MAX_LABEL_NAMES_PER_SERIES);

    ValidationResult ok = run(stream(manyLabels(15, "service_name", "svc"), entry(NOW, "x")));
    assertThat(ok.hasErrors()).isFalse();
  }

  @Test
  void l2ComesBeforeLabelLengthChecks() {
    LabelSet s = manyLabels(16, "z".repeat(1025), "v");
    ValidationResult r = run(stream(s, entry(NOW, "x")));
    assertThat(r.errors()).containsExactly("entry for stream '" + s.canonical() + "' has 17 label names; limit 15");
  }

  @Test
  void l3LabelNameTooLong() {
    String name = "n".repeat(1025);
    LabelSet s = LabelSet.of(name, "v");
    assertThat(run(stream(s, entry(NOW, "x"))).errors())
        .containsExactly("stream '" + s.canonical() + "' has label name too long: '" + name + "'");
  }

  @Test
  void l4LabelValueTooLongCountsBytes() {
    String value = "é".repeat(1025); // 2050 bytes, 1025 chars
    LabelSet s = LabelSet.of("app", value);
    ValidationResult r = run(stream(s, entry(NOW, "x")));
    assertThat(r.errors()).containsExactly("stream '" + s.canonical() + "' has label value too long: '" + value + "'");
    assertThat(r.discards()).containsOnlyKeys(DiscardReason.LABEL_VALUE_TOO_LONG);
    assertThat(run(stream(LabelSet.of("app", "é".repeat(1024)), entry(NOW, "x"))).hasErrors()).isFalse();
  }

  @Test
  void l5DuplicateLabelName() {
    LabelSet s = LabelSet.of("job", "a", "job", "b");
    ValidationResult r = run(stream(s, entry(NOW, "x")));
    assertThat(r.errors()).containsExactly("stream '{job=\"a\", job=\"b\"}' has duplicate label name: 'job'");
    assertThat(r.discards()).containsOnlyKeys(DiscardReason.DUPLICATE_LABEL_NAMES);
  }

  @Test
  void labelChecksRunLabelByLabelInSortedOrder() {
    String longName = "b".repeat(1025);
    String longValue = "v".repeat(2049);
    // label "a" (long value) sorts before the long name "bbb...": its value is reported
    LabelSet s = LabelSet.of(longName, "x", "a", longValue);
    assertThat(run(stream(s, entry(NOW, "x"))).errors())
        .containsExactly("stream '" + s.canonical() + "' has label value too long: '" + longValue + "'");
    // within one label the name is checked before the value
    LabelSet both = LabelSet.of(longName, longValue);
    assertThat(run(stream(both, entry(NOW, "x"))).errors())
        .containsExactly("stream '" + both.canonical() + "' has label name too long: '" + longName + "'");
    // a duplicate after a long value: the earlier label wins
    LabelSet dup = LabelSet.of("a", longValue, "b", "1", "b", "2");
    assertThat(run(stream(dup, entry(NOW, "x"))).errors().get(0)).contains("has label value too long");
  }

  @Test
  void aggregatedMetricStreamsSkipL2ToL5() {
    LabelSet s = manyLabels(20, "__aggregated_metric__", "x", "n".repeat(2000), "v");
    assertThat(run(stream(s, entry(NOW, "x"))).hasErrors()).isFalse();
  }

  @Test
  void l6EnforcedLabelsAfterTheLabelChecks() {
    LimitsConfig limits = TestLimits.with("enforcedLabels", List.of("app", "env", "team"));
    ValidationResult r = run(limits, stream(LabelSet.of("env", "prod"), entry(NOW, "abc")));
    assertThat(r.errors()).containsExactly("missing required labels app,team for user tenant-1");
    assertThat(r.discards()).containsExactly(Map.entry(DiscardReason.MISSING_ENFORCED_LABELS, new DiscardCount(1, 3)));
    // L5 is reported instead when both fail
    ValidationResult dup = run(limits, stream(LabelSet.of("x", "1", "x", "2"), entry(NOW, "abc")));
    assertThat(dup.errors().get(0)).contains("duplicate label name");
    assertThat(run(limits, stream(LabelSet.of("app", "a", "env", "e", "team", "t"), entry(NOW, "a"))).hasErrors()).isFalse();
  }

  @Test
  void e1TooOldWithRfc3339Times() {
    LabelSet s = LabelSet.of("app", "web");
    long old = NOW - Duration.ofHours(168).toNanos() - 1;
    ValidationResult r = run(stream(s, entry(old, "abc"), entry(NOW - Duration.ofHours(168).toNanos(), "edge")));
    assertThat(r.errors()).containsExactly("entry for stream '{app=\"web\"}' has timestamp too old: "
        + "2023-12-26T03:04:04Z, oldest acceptable timestamp is: 2023-12-26T03:04:05Z");
    assertThat(r.acceptedLines()).isEqualTo(1); // exactly at the cutoff is fine
    assertThat(r.discards()).containsExactly(Map.entry(DiscardReason.GREATER_THAN_MAX_SAMPLE_AGE, new DiscardCount(1, 3)));
    assertThat(run(TestLimits.with("rejectOldSamples", false), stream(s, entry(0, "abc"))).hasErrors()).isFalse();
  }

  @Test
  void e2TooNew() {
    LabelSet s = LabelSet.of("app", "web");
    long grace = Duration.ofMinutes(10).toNanos();
    ValidationResult r = run(stream(s, entry(NOW + grace + 1, "abc"), entry(NOW + grace, "ok")));
    assertThat(r.errors()).containsExactly("entry for stream '{app=\"web\"}' has timestamp too new: 2024-01-02T03:14:05Z");
    assertThat(r.acceptedLines()).isEqualTo(1);
    assertThat(r.discards()).containsOnlyKeys(DiscardReason.TOO_FAR_IN_FUTURE);
  }

  @Test
  void e3LineTooLongAndTruncation() {
    LabelSet s = LabelSet.of("app", "web");
    ValidationResult r = run(TestLimits.with("maxLineSize", 10L), stream(s, entry(NOW, "0123456789X"), entry(NOW, "0123456789")));
    assertThat(r.errors()).containsExactly(
        "Max entry size '10' bytes exceeded for stream '{app=\"web\"}' while adding an entry with length '11' bytes");
    assertThat(r.discards()).containsExactly(Map.entry(DiscardReason.LINE_TOO_LONG, new DiscardCount(1, 11)));

    ValidationResult t = run(TestLimits.with(Map.of("maxLineSize", 10L, "maxLineSizeTruncate", true)),
        stream(s, entry(NOW, "0123456789XYZ")));
    assertThat(t.hasErrors()).isFalse();
    assertThat(t.accepted().streams().get(0).entries().get(0).lineString()).isEqualTo("0123456789");
    assertThat(t.acceptedBytes()).isEqualTo(10);

    // a stream refused for its labels is charged its lines as truncated, as the accepted ones would be
    ValidationResult refused = run(TestLimits.with(Map.of("maxLineSize", 10L, "maxLineSizeTruncate", true)),
        stream(LabelSet.of("app", "web", "app", "api"), entry(NOW, "0123456789XYZ"), entry(NOW, "short")));
    assertThat(refused.discards()).containsExactly(Map.entry(DiscardReason.DUPLICATE_LABEL_NAMES, new DiscardCount(2, 15)));

    assertThat(run(TestLimits.with("maxLineSize", 0L), stream(s, entry(NOW, "x".repeat(300_000)))).hasErrors()).isFalse();
  }

  @Test
  void e4StructuredMetadataDisallowed() {
    LimitsConfig limits = TestLimits.with("allowStructuredMetadata", false);
    ValidationResult r = run(limits, stream(LabelSet.of("app", "web"), entry(NOW, "a", "k", "v"), entry(NOW, "level=info b")));
    assertThat(r.errors()).containsExactly("stream '{app=\"web\"}' includes structured metadata, but this feature is "
        + "disallowed. Please see `limits_config.allow_structured_metadata` or contact your Loki administrator to enable it.");
    assertThat(r.discards()).containsExactly(Map.entry(DiscardReason.DISALLOWED_STRUCTURED_METADATA, new DiscardCount(1, 3)));
    // no detected_level when structured metadata is not allowed
    assertThat(r.accepted().streams().get(0).entries().get(0).metadata()).isEmpty();
  }

  @Test
  void e5StructuredMetadataTooLarge() {
    LimitsConfig limits = TestLimits.with("maxStructuredMetadataSize", 10L);
    ValidationResult r = run(limits, stream(LabelSet.of("app", "web"), entry(NOW, "a", "key", "12345678"),
        entry(NOW, "b", "key", "1234567")));
    assertThat(r.errors()).containsExactly("stream '{app=\"web\"}' has structured metadata too large: '11' bytes, "
        + "limit: '10' bytes. Please see `limits_config.max_structured_metadata_size` or contact your Loki "
        + "administrator to increase it.");
    assertThat(r.acceptedLines()).isEqualTo(1);
    assertThat(r.discards()).containsExactly(Map.entry(DiscardReason.STRUCTURED_METADATA_TOO_LARGE, new DiscardCount(1, 12)));
  }

  @Test
  void e6TooManyStructuredMetadataEntries() {
    LimitsConfig limits = TestLimits.with("maxStructuredMetadataEntriesCount", 2);
    ValidationResult r = run(limits, stream(LabelSet.of("app", "web"), entry(NOW, "a", "a", "1", "b", "2", "c", "3")));
    assertThat(r.errors()).containsExactly("stream '{app=\"web\"}' has too many structured metadata labels: '3', "
        + "limit: '2'. Please see `limits_config.max_structured_metadata_entries_count` or contact your Loki "
        + "administrator to increase it.");
    assertThat(r.discards()).containsOnlyKeys(DiscardReason.STRUCTURED_METADATA_TOO_MANY);
  }

  @Test
  void entryChecksRunInOrderE1ToE6() {
    LimitsConfig limits = TestLimits.with(Map.of("maxLineSize", 2L, "allowStructuredMetadata", false));
    LabelSet s = LabelSet.of("a", "b");
    long old = NOW - Duration.ofDays(8).toNanos();
    long future = NOW + Duration.ofHours(1).toNanos();
    ValidationResult r = run(limits, stream(s,
        entry(old, "long line", "k", "v"), entry(future, "long line", "k", "v"),
        entry(NOW, "long line", "k", "v"), entry(NOW, "ok", "k", "v")));
    assertThat(r.errors()).hasSize(4);
    assertThat(r.errors().get(0)).contains("timestamp too old");
    assertThat(r.errors().get(1)).contains("timestamp too new");
    assertThat(r.errors().get(2)).startsWith("Max entry size");
    assertThat(r.errors().get(3)).contains("structured metadata, but this feature is disallowed");
    // size is checked before the count
    LimitsConfig tight = TestLimits.with(Map.of("maxStructuredMetadataSize", 1L, "maxStructuredMetadataEntriesCount", 1));
    assertThat(run(tight, stream(s, entry(NOW, "x", "a", "1", "b", "2"))).errors().get(0)).contains("too large");
  }

  @Test
  void partialSuccessKeepsValidEntriesInRequestOrder() {
    LabelSet good = LabelSet.of("app", "good");
    LabelSet bad = LabelSet.of("x", "1", "x", "2");
    LabelSet allOld = LabelSet.of("app", "old");
    long old = NOW - Duration.ofDays(30).toNanos();
    ValidationResult r = run(TestLimits.with("maxLineSize", 5L),
        stream(good, entry(NOW, "one"), entry(NOW, "too long"), entry(NOW + 2, "three")),
        stream(bad, entry(NOW, "x")),
        stream(allOld, entry(old, "a"), entry(old, "b")),
        stream(LabelSet.of("app", "second"), entry(NOW, "four")));
    assertThat(r.accepted().streams()).extracting(PushStream::labels)
        .containsExactly(good, LabelSet.of("app", "second"));
    assertThat(r.accepted().streams().get(0).entries()).extracting(LogEntry::lineString).containsExactly("one", "three");
    assertThat(r.errors()).hasSize(4);
    assertThat(r.errors().get(0)).startsWith("Max entry size");
    assertThat(r.errors().get(1)).contains("duplicate label name");
    assertThat(r.errors().get(2)).contains("too old");
    assertThat(r.errorMessage()).startsWith("1 errors like: Max entry size").contains("; 2 errors like: entry for stream '{app=\"old\"}'");
    assertThat(r.acceptedLines()).isEqualTo(3);
    assertThat(r.discardedLines()).isEqualTo(4);
  }

  @Test
  void structuredMetadataIsNormalisedOnAcceptedEntries() {
    ValidationResult r = run(stream(LabelSet.of("app", "web"),
        entry(NOW, "x", "trace.id", "a\uFFFDb", "1st", "v", "_x", "v", "__y", "v", "level", "warn")));
    assertThat(r.accepted().streams().get(0).entries().get(0).metadata()).containsExactly(
        new Label("trace_id", "a b"), new Label("key_1st", "v"), new Label("key_x", "v"), new Label("__y", "v"),
        new Label("level", "warn"), new Label("detected_level", "warn"));
  }

  @Test
  void detectedLevelIsNotCountedAndAnExistingOneIsKept() {
    ValidationResult r = run(stream(LabelSet.of("app", "web"),
        entry(NOW, "abc", "detected_level", "custom"), entry(NOW, "info here")));
    List<LogEntry> e = r.accepted().streams().get(0).entries();
    assertThat(e.get(0).metadata()).containsExactly(new Label("detected_level", "custom"));
    assertThat(e.get(1).metadata()).containsExactly(new Label("detected_level", "info"));
    assertThat(r.acceptedBytes()).isEqualTo(3 + 9);
    assertThat(run(TestLimits.with("discoverLogLevels", false), stream(LabelSet.of("a", "b"), entry(NOW, "x")))
        .accepted().streams().get(0).entries().get(0).metadata()).isEmpty();
  }

  @Test
  void incrementDuplicateTimestampBumpsDifferentLinesOnly() {
    LimitsConfig limits = TestLimits.with("incrementDuplicateTimestamp", true);
    ValidationResult r = run(limits, stream(LabelSet.of("app", "web"),
        entry(NOW, "a"), entry(NOW, "b"), entry(NOW, "c"), entry(NOW, "c"), entry(NOW + 1, "d"), entry(NOW + 10, "e"),
        entry(NOW + 10, "e"), entry(NOW + 10, "f")));
    // Loki's quirk: a repeated line keeps its own timestamp (so the ingester can de-duplicate identical
    // pairs) and becomes the new reference; "d" at NOW+1 then no longer collides with anything
    assertThat(r.accepted().streams().get(0).entries()).extracting(LogEntry::timestampNanos).containsExactly(
        NOW, NOW + 1, NOW + 2, NOW, NOW + 1, NOW + 10, NOW + 10, NOW + 11);
    // off by default
    ValidationResult off = run(stream(LabelSet.of("app", "web"), entry(NOW, "a"), entry(NOW, "b")));
    assertThat(off.accepted().streams().get(0).entries()).extracting(LogEntry::timestampNanos).containsExactly(NOW, NOW);
  }

  @Test
  void linesTruncationMakesEqualAreTheSameLineForTheTimestampRule() {
    LimitsConfig limits = TestLimits.with(Map.of("incrementDuplicateTimestamp", true, "maxLineSize", 10L,
        "maxLineSizeTruncate", true));
    ValidationResult r = run(limits, stream(LabelSet.of("app", "web"),
        entry(NOW, "0123456789A"), entry(NOW, "0123456789B"), entry(NOW, "0123456789")));
    assertThat(r.accepted().streams().get(0).entries()).extracting(LogEntry::timestampNanos)
        .containsExactly(NOW, NOW, NOW);
    assertThat(r.accepted().streams().get(0).entries()).extracting(LogEntry::lineString).containsOnly("0123456789");
  }
}
