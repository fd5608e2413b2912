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
import net.jqwik.api.Combinators;
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

  /**
   * JSON objects whose string values (escaped quotes and backslashes at every offset, so the 8-byte
   * quote search meets them at every position of a block) come before and after a level key, and logfmt
   * lines with level keys at any offset, glued to other bytes, in any case, and cut at the end.
   */
  @Property(tries = 3000)
  void sameLevelOnAdversarialJsonAndLogfmt(@ForAll("structured") String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    assertThat(fast.fromLine(b)).as("line %s", line).isEqualTo(naive.fromLine(b));
  }

  @Provide
  Arbitrary<String> structured() {
    Arbitrary<String> chunk = Arbitraries.oneOf(
        Arbitraries.strings().withChars("abc xyz").ofMaxLength(17),
        Arbitraries.of("\\\"", "\\\\", "\\", "\\n", "error", "INFO", "warn:", "é", "\"", "=", "}", "{"));
    Arbitrary<String> text = chunk.list().ofMaxSize(6).map(cs -> String.join("", cs));
    Arbitrary<String> key = Arbitraries.of("level", "LEVEL", "Level", "lvl", "severity", "msg", "levels", "xlevel", "leve");
    Arbitrary<String> value = Arbitraries.of("error", "warn", "INFO", "dbg", "fatal", "nope", "", "\"warn\"", "5");
    Arbitrary<String> jsonPair = Combinators.combine(key, text, value, Arbitraries.of(0, 1, 2)).as((k, t, v, shape) ->
        switch (shape) {
          case 0 -> "\"" + k + "\":\"" + t + "\"";
          case 1 -> "\"" + k + "\":\"" + v + "\"";
          default -> "\"" + t + "\": " + v.replace("\"", "");
        });
    Arbitrary<String> json = jsonPair.list().ofMaxSize(5).map(ps -> "{" + String.join(",", ps) + "}");
    Arbitrary<String> logfmtPair = Combinators.combine(key, text, value, Arbitraries.of("", " ", "<", "=", "\"")).as(
        (k, t, v, glue) -> glue + k + "=" + (t.isEmpty() ? v : "\"" + t.replace("\"", "") + "\" ") + v);
    Arbitrary<String> logfmt = logfmtPair.list().ofMaxSize(5).map(ps -> String.join(" ", ps));
    return Arbitraries.oneOf(json, logfmt, logfmt.map(l -> l + " level="), text.map(t -> "x".repeat(t.length() % 9) + t));
  }

  /** The '=' pre-check never says "no" when a key (any case) sits right before some '='. */
  @Property(tries = 2000)
  void keyCheckIsASupersetOfKeysBeforeEquals(@ForAll("structured") String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    byte[][] keys = {"level".getBytes(StandardCharsets.UTF_8), "lvl".getBytes(StandardCharsets.UTF_8)};
    LevelFieldScanner scanner = new LevelFieldScanner(keys);
    boolean expected = false;
    String lower = line.toLowerCase(java.util.Locale.ROOT);
    for (int e = lower.indexOf('='); e >= 0; e = lower.indexOf('=', e + 1)) {
      if (lower.startsWith("level", e - 5) || lower.startsWith("lvl", e - 3)) expected = true;
    }
    if (line.chars().allMatch(c -> c < 128)) assertThat(scanner.mayHaveKeyWithValue(b)).as(line).isEqualTo(expected);
    int eq = NaiveLevelDetector.indexOf(b, (byte) '=');
    assertThat(scanner.mayHaveKeyWithValue(b, Math.max(eq, 0))).as(line).isEqualTo(scanner.mayHaveKeyWithValue(b));
    assertThat(new LevelFieldScanner(new byte[][] {new byte[0]}).mayHaveKeyWithValue(b)).as(line).isEqualTo(eq >= 0);
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
