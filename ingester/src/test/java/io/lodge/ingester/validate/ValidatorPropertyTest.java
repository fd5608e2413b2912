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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random pushes against tight limits: every input entry is either accepted or counted under one reason. */
class ValidatorPropertyTest {
  static final long NOW = ValidatorTest.NOW;
  static final long DAY = Duration.ofDays(1).toNanos();

  static final LimitsConfig LIMITS = TestLimits.with(Map.of(
      "maxLineSize", 20L,
      "maxStructuredMetadataSize", 16L,
      "maxStructuredMetadataEntriesCount", 2,
      "maxLabelNamesPerSeries", 3,
      "maxLabelValueLength", 8,
      "maxLabelNameLength", 6,
      "enforcedLabels", List.of("app")));

  @Property(tries = 300)
  void acceptedPlusDiscardedAccountsForEveryEntry(@ForAll("requests") PushRequest request) {
    ValidationMetrics metrics = new ValidationMetrics(new PrometheusRegistry());
    ValidationResult r = new Validator(LIMITS, metrics).validate("t", request, NOW);

    long inLines = request.entryCount();
    long inBytes = 0;
    for (PushStream s : request.streams()) inBytes += Validator.entryBytes(s.entries());
    assertThat(r.acceptedLines() + r.discardedLines()).isEqualTo(inLines);
    assertThat(r.acceptedBytes() + r.discardedBytes()).isEqualTo(inBytes);
    assertThat(r.accepted().entryCount()).isEqualTo(r.acceptedLines());
    long entryFailures = r.discards().entrySet().stream()
        .mapToLong(e -> isStreamReason(e.getKey()) ? 0 : e.getValue().lines()).sum();
    assertThat((long) r.errors().size()).isEqualTo(entryFailures + streamFailures(request));
    for (Map.Entry<DiscardReason, DiscardCount> d : r.discards().entrySet()) {
      assertThat(metrics.discardedSamples(d.getKey(), "t")).isEqualTo(d.getValue().lines());
    }

    // the oracle: the entries that should survive, in order
    List<String> expected = new ArrayList<>();
    for (PushStream s : request.streams()) {
      if (s.entries().isEmpty() || !oracleStreamOk(s.labels())) continue;
      for (LogEntry e : s.entries()) if (oracleEntryOk(e)) expected.add(s.labels() + e.lineString());
    }
    List<String> actual = new ArrayList<>();
    for (PushStream s : r.accepted().streams()) {
      assertThat(s.entries()).isNotEmpty();
      for (LogEntry e : s.entries()) {
        actual.add(s.labels() + e.lineString());
        // every entry gets a level, except when the first level field present has an empty value (as in Loki)
        boolean emptyLevelField = e.metadata().stream().filter(l -> l.name().equals("level")).findFirst()
            .map(l -> l.value().isEmpty()).orElse(false);
        assertThat(e.metadata().stream().anyMatch(l -> l.name().equals("detected_level"))).isEqualTo(!emptyLevelField);
      }
    }
    assertThat(actual).isEqualTo(expected);
  }

  private static boolean isStreamReason(DiscardReason r) {
    return switch (r) {
      case MISSING_LABELS, MAX_LABEL_NAMES_PER_SERIES, LABEL_NAME_TOO_LONG, LABEL_VALUE_TOO_LONG,
          DUPLICATE_LABEL_NAMES, MISSING_ENFORCED_LABELS -> true;
      default -> false;
    };
  }

  private static long streamFailures(PushRequest request) {
    return request.streams().stream().filter(s -> !s.entries().isEmpty() && !oracleStreamOk(s.labels())).count();
  }

  private static boolean oracleStreamOk(LabelSet labels) {
    if (labels.isEmpty()) return false;
    int names = labels.size() - (labels.has("service_name") ? 1 : 0);
    if (names > 3) return false;
    for (Label l : labels.labels()) {
      if (l.name().length() > 6 || l.value().length() > 8) return false; // ASCII only below
    }
    if (labels.hasDuplicateNames()) return false;
    return labels.has("app");
  }

  private static boolean oracleEntryOk(LogEntry e) {
    if (e.timestampNanos() < NOW - 7 * DAY || e.timestampNanos() > NOW + Duration.ofMinutes(10).toNanos()) return false;
    if (e.line().length > 20) return false;
    long sm = 0;
    for (Label l : e.metadata()) sm += l.name().length() + l.value().length();
    return sm <= 16 && e.metadata().size() <= 2;
  }

  @Provide
  Arbitrary<PushRequest> requests() {
    Arbitrary<Label> label = Combinators.combine(
        Arbitraries.of("app", "env", "job", "service_name", "longname", "x"),
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(0).ofMaxLength(10))
        .as(Label::new);
    Arbitrary<LabelSet> labels = label.list().ofMaxSize(5).map(LabelSet::of);
    long oldest = NOW - 7 * DAY;
    long newest = NOW + Duration.ofMinutes(10).toNanos();
    Arbitrary<Long> ts = Arbitraries.oneOf(
        Arbitraries.longs().between(NOW - 6 * DAY, NOW + 60_000_000_000L),
        Arbitraries.longs().between(NOW - 10 * DAY, NOW + DAY),
        Arbitraries.of(oldest - 1, oldest, newest, newest + 1)); // the boundaries
    Arbitrary<Label> meta = Combinators.combine(
        Arbitraries.of("trace_id", "k", "1st", "level", "severity_number"),
        Arbitraries.strings().withCharRange('0', 'z').ofMaxLength(12)).as(Label::new);
    // pairs whose total size is around max_structured_metadata_size (16)
    Arbitrary<Label> sized = Arbitraries.integers().between(6, 8).map(n -> new Label("k", "v".repeat(n)));
    Arbitrary<LogEntry> entry = Combinators.combine(ts,
        Arbitraries.oneOf(
            Arbitraries.strings().withChars("abc =\"{}info:error").ofMaxLength(30),
            Arbitraries.strings().withChars("abc xyz").ofMinLength(19).ofMaxLength(21)), // around max_line_size
        Arbitraries.oneOf(meta.list().ofMaxSize(3), sized.list().ofSize(2)))
        .as((t, line, md) -> LogEntry.of(t, line, md));
    Arbitrary<PushStream> stream = Combinators.combine(labels, entry.list().ofMaxSize(6)).as(PushStream::new);
    return stream.list().ofMaxSize(6).map(PushRequest::new);
  }
}
