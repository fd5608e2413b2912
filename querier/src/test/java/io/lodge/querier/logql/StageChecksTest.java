package io.lodge.querier.logql;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Build-time stage errors of LOKI-COMPAT §4.2's "parse but fail when the pipeline is built". */
class StageChecksTest {

  @ParameterizedTest
  @CsvSource(delimiter = ';', textBlock = """
      {app="foo"} |~ ip("127.0.0.1")       ; parse error : stage '|~ ip("127.0.0.1")' : ip: invalid operation
      {app="foo"} |> "<foo> bar"           ; parse error : stage '|> "<foo> bar"' : named captures are not allowed: found '<foo>'
      {app="foo"} |~ "(unclosed"           ; parse error : stage '|~ "(unclosed"' : error parsing regexp: missing closing ): `(unclosed`
      {app="foo"} | label_format foo=bar,foo="new" ; parse error : stage '| label_format foo=bar,foo="new"' : multiple label name 'foo' not allowed in a single format operation
      {app="foo"} | label_format __error__="x" ; parse error : stage '| label_format __error__="x"' : __error__ cannot be formatted
      count_over_time({foo=~`bar\\w+`}[12h] |~ `error\\`) ; parse error : stage '|~ "error\\\\"' : error parsing regexp: trailing backslash at end of expression: ``
      """)
  void refusesWhatLokiRefusesAtBuildTime(String query, String message) {
    var expr = LogqlParser.parse(query);
    assertThatThrownBy(() -> StageChecks.check(expr)).hasMessage(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{app=\"foo\"} |> \"foo <_> baz\" or \"< x>\"",
    "{app=\"foo\"} |= ip(\"1.2.3.4\") |~ \"a.*b\"",
    "{app=\"foo\"} | pattern \"<ip> - <_> <status>\" | regexp \"(?P<a>x)\"",
    "{app=\"foo\"} | label_format a=b, c=\"{{.a}}\""
  })
  void acceptsValidStages(String query) {
    assertThatCode(() -> StageChecks.check(LogqlParser.parse(query))).doesNotThrowAnyException();
  }
}
