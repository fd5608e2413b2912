package io.lodge.ingester.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.config.LimitsConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The single-pass {@link LevelDetector} line rules against {@link NaiveLevelDetector}, the one-indexOf-
 * per-word implementation it replaced: random lines built from level words and their near misses, JSON
 * and logfmt fragments and noise, then every real loghub line.
 */
class LevelDetectorOracleTest {
  private static final List<String> FIELDS = LimitsConfig.DEFAULT_LOG_LEVEL_FIELDS;

  private final LevelDetector fast = new LevelDetector(FIELDS);
  private final NaiveLevelDetector naive = new NaiveLevelDetector(FIELDS);

  @Property(tries = 3000)
  void sameLevelAsTheNaiveDetector(@ForAll("lines") String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    assertThat(fast.fromLine(b)).as("line %s", line).isEqualTo(naive.fromLine(b));
    assertThat(LevelDetector.fromSubstrings(b)).as("substrings of %s", line).isEqualTo(NaiveLevelDetector.fromSubstrings(b));
  }

  @Provide
  Arbitrary<String> lines() {
    Arbitrary<String> words = Arbitraries.of(
        "info", "INFO", "Info", "inf", "INF", "nfo", "err:", "ERR:", "err", "Err:", "error", "ERROR", "erro", "ERRO",
        "warn:", "WARN:", "warn", "WARN", "warning", "WARNING", "warnin", "CRITICAL:", "critical:", "CRITICAL",
        "critical", "Critical:", "debug:", "DEBUG:", "debug", "DEBUG", "trace", "fatal", "e", "E", "i", "w", "d", "c", "C");
    Arbitrary<String> json = Arbitraries.of(
        "{", "}", "[", "]", "\"", ":", ",", "\"level\":", "\"lvl\":\"warn\"", "\"severity\": \"ERROR\"",
        "\"level\":{\"x\":1}", "\"msg\":\"a \\\" b\"", "\"LEVEL\":\"debug\"", "\"level\":42", "\\");
    Arbitrary<String> logfmt = Arbitraries.of(
        "level=", "=", "lvl=ERROR", "level=\"warn\"", "severity=trc", "Level=Info", "level=\"a\\\"b\"", "msg=\"x y\"",
        "k=v", "=v", "level==", "LEVEL=critical", "level=wrn");
    Arbitrary<String> noise = Arbitraries.oneOf(
        Arbitraries.strings().ascii().ofMaxLength(6),
        Arbitraries.strings().withChars("eErRiInNfFoOwWaAgG:dDbBuUcCtTlL ").ofMaxLength(12),
        Arbitraries.of(" ", "  ", "\t", "\n", "ünï", "日本"));
    Arbitrary<String> piece = Arbitraries.frequencyOf(
        Tuple.of(4, words), Tuple.of(3, json), Tuple.of(3, logfmt), Tuple.of(4, noise));
    Arbitrary<String> body = piece.list().ofMaxSize(14).map(ps -> String.join("", ps));
    Arbitrary<String> spaced = piece.list().ofMaxSize(14).map(ps -> String.join(" ", ps));
    return Arbitraries.oneOf(body, spaced,
        spaced.map(s -> "{" + s + "}"),
        spaced.map(s -> " {\"msg\":\"" + s.replace("\"", "") + "\", " + s + "}\n"));
  }

  @Test
  void sameLevelOnEveryLoghubLine() throws IOException {
    Path dir = io.lodge.ingester.testing.LoghubData.dir();
    Assumptions.assumeTrue(Files.isDirectory(dir), "loghub fixtures not present");
    int lines = 0;
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          for (String variant : List.of(line, "{\"msg\":\"" + line.replace("\"", "") + "\"}", "msg=\"x\" " + line)) {
            byte[] b = variant.getBytes(StandardCharsets.UTF_8);
            assertThat(fast.fromLine(b)).as("%s: %s", f.getFileName(), variant).isEqualTo(naive.fromLine(b));
          }
          lines++;
        }
      }
    }
    assertThat(lines).isGreaterThan(10_000);
  }
}
