package io.lodge.ingester.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Real logs (shared loghub fixtures) through the validator: all accepted, every level from Loki's set. */
class LoghubLevelTest {
  private static final Path DIR = io.lodge.ingester.testing.LoghubData.dir();
  private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error", "critical", "fatal", "unknown");

  @Test
  void realLogsGetLevelsFromLokisSet() throws IOException {
    Assumptions.assumeTrue(Files.isDirectory(DIR), "loghub fixtures not present");
    List<PushStream> streams = new ArrayList<>();
    try (var files = Files.list(DIR)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        List<LogEntry> entries = new ArrayList<>();
        long ts = ValidatorTest.NOW - 1_000_000_000L;
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) entries.add(LogEntry.of(ts++, line));
        streams.add(new PushStream(LabelSet.of("job", f.getFileName().toString()), entries));
      }
    }
    PushRequest request = new PushRequest(streams);
    ValidationResult r = new Validator(LimitsConfig.defaults(), new ValidationMetrics(new PrometheusRegistry()))
        .validate("t", request, ValidatorTest.NOW);
    assertThat(r.hasErrors()).isFalse();
    assertThat(r.acceptedLines()).isEqualTo(request.entryCount());
    int info = 0;
    for (PushStream s : r.accepted().streams()) {
      for (LogEntry e : s.entries()) {
        String level = e.metadata().get(e.metadata().size() - 1).value();
        assertThat(LEVELS).contains(level);
        // the substring rules in Loki's order, checked independently
        String line = e.lineString();
        if (line.contains("info") || line.contains("INFO")) {
          assertThat(level).isEqualTo("info");
          info++;
        }
      }
    }
    assertThat(info).isPositive();
  }
}
