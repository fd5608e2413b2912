package io.lodge.ingester.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LevelDetectorTest {
  private final LevelDetector d = new LevelDetector(LimitsConfig.DEFAULT_LOG_LEVEL_FIELDS);

  private String line(String line) {
    return d.detect(LabelSet.of("app", "x"), List.of(), line.getBytes(StandardCharsets.UTF_8));
  }

  private static List<Label> sm(String... kv) {
    List<Label> l = new ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) l.add(new Label(kv[i], kv[i + 1]));
    return l;
  }

  @Test
  void streamLabelWinsVerbatimInListOrder() {
    assertThat(d.detect(LabelSet.of("lvl", "b", "Level", "Weird"), sm("level", "error"), bytes("level=debug")))
        .isEqualTo("Weird");
    assertThat(d.detect(LabelSet.of("level", ""), List.of(), bytes("error"))).isNull();
  }

  @Test
  void structuredMetadataVerbatimInListOrder() {
    assertThat(d.detect(LabelSet.of("app", "x"), sm("lvl", "x", "severity", "NOTICE"), bytes("level=debug")))
        .isEqualTo("NOTICE");
  }

  @ParameterizedTest
  @CsvSource({"0,unknown", "1,trace", "4,trace", "5,debug", "8,debug", "9,info", "12,info", "13,warn", "16,warn",
      "17,error", "20,error", "21,fatal", "24,fatal", "25,unknown", "abc,info", "1.5,info", "-3,trace"})
  void severityNumberMapsByOtelRanges(String number, String level) {
    assertThat(d.detect(LabelSet.of("app", "x"), sm("severity_number", number), bytes("level=debug"))).isEqualTo(level);
  }

  @Test
  void emptySeverityNumberIsIgnored() {
    assertThat(d.detect(LabelSet.of("app", "x"), sm("severity_number", ""), bytes("level=debug"))).isEqualTo("debug");
  }

  @Test
  void jsonFirstKeyOfTheListWinsByListOrder() {
    assertThat(line("{\"lvl\":\"debug\",\"Severity\":\"warn\",\"level\":\"error\"}")).isEqualTo("error");
    assertThat(line("  {\"severity\":\"WARNING\", \"lvl\":\"err\"}\n")).isEqualTo("warn");
  }

  @Test
  void jsonKeysMatchExactlyAndOnlyAtTopLevel() {
    assertThat(line("{\"LeVeL\":\"debug\",\"msg\":\"x\"}")).isEqualTo("unknown");
    assertThat(line("{\"nested\":{\"level\":\"debug\"},\"msg\":\"x\"}")).isEqualTo("unknown");
    assertThat(line("{\"nested\":{\"level\":\"debug\"},\"level\":\"fatal\"}")).isEqualTo("fatal");
    assertThat(line("{\"arr\":[\"level\",{\"a\":\"}\"}],\"lvl\":\"trc\"}")).isEqualTo("trace");
  }

  @Test
  void jsonUnmappedValueFallsBackToSubstrings() {
    // the first listed key is found with an unknown value: no second chance with the next key
    assertThat(line("{\"level\":5,\"severity\":\"debug\",\"msg\":\"an error\"}")).isEqualTo("error");
    assertThat(line("{\"level\":\"notice\",\"msg\":\"x\"}")).isEqualTo("unknown");
  }

  @Test
  void logfmtKeyIsCaseInsensitiveAndEarliestInListWins() {
    assertThat(line("LEVEL=dbg msg=hi")).isEqualTo("debug");
    assertThat(line("lvl=trace Level=\"warning\"")).isEqualTo("warn");
    assertThat(line("ts=1 severity=ERR")).isEqualTo("error");
  }

  @Test
  void logfmtStopsAtSyntaxErrorsAndQuotedValuesWork() {
    assertThat(line("msg=\"a \\\"b\\\"\" level=Critical")).isEqualTo("critical");
    assertThat(line("a=b=c level=debug")).isEqualTo("unknown"); // the decoder stops at the second '='
    assertThat(line("level msg=x")).isEqualTo("unknown"); // a bare key has no value
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "trace|trace", "TRC|trace", "debug|debug", "dbg|debug", "Info|info", "inf|info", "warn|warn", "wrn|warn",
      "WARNING|warn", "error|error", "err|error", "critical|critical", "FATAL|fatal"})
  void valuesMapCaseInsensitively(String value, String level) {
    assertThat(line("level=" + value + " msg=x")).isEqualTo(level);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "an info and an error|info",
      "INFO something|info",
      "got err: nope|error",
      "ERR: nope|error",
      "an error happened|error",
      "ERROR|error",
      "warn: careful|warn",
      "WARN: careful|warn",
      "a warning|warn",
      "WARNING now|warn",
      "CRITICAL: x|critical",
      "critical: x|critical",
      "debug: x|debug",
      "DEBUG: x|debug",
      "Error mixed case|unknown",
      "just debugging|unknown",
      "warn without colon|unknown",
      "plain line|unknown"})
  void substringFallbackInLokiOrder(String text, String level) {
    assertThat(line(text)).isEqualTo(level);
  }

  @Test
  void customFieldList() {
    LevelDetector custom = new LevelDetector(List.of("sev"));
    assertThat(custom.detect(LabelSet.of("a", "b"), List.of(), bytes("level=debug sev=warn"))).isEqualTo("warn");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
