package io.lodge.querier.logql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tokenisation rules of LOKI-COMPAT §3.1. */
class LexerTest {

  private static List<Token> tokens(String input) {
    Lexer lx = new Lexer(input);
    List<Token> out = new ArrayList<>();
    for (Token t = lx.next(); !t.is(TokenType.EOF); t = lx.next()) out.add(t);
    return out;
  }

  private static List<String> kinds(String input) {
    return tokens(input).stream().map(t -> t.type() + ":" + t.text()).toList();
  }

  @Test
  void keywordsAreCaseInsensitiveAndFunctionsNeedAParenthesis() {
    assertThat(kinds("SUM BY (x) (Count_Over_Time("))
        .containsExactly("FUNCTION:sum", "BY:by", "LPAREN:(", "IDENTIFIER:x", "RPAREN:)",
            "LPAREN:(", "FUNCTION:count_over_time", "LPAREN:(");
    assertThat(kinds("rate = ip count > bytes")).extracting(s -> s.split(":")[0])
        .containsExactly("IDENTIFIER", "EQ", "IDENTIFIER", "IDENTIFIER", "GT", "IDENTIFIER");
    assertThat(kinds("topk without (a)")).first().isEqualTo("FUNCTION:topk");
    assertThat(kinds("ip (")).first().isEqualTo("FUNCTION:ip");
  }

  @Test
  void commentsRunToEndOfLineButNotInsideStrings() {
    assertThat(kinds("{a=\"#x\"} # |= \"y\"\n| json"))
        .containsExactly("LBRACE:{", "IDENTIFIER:a", "EQ:=", "STRING:#x", "RBRACE:}", "PIPE:|",
            "JSON:json");
  }

  @Test
  void stringsUnescapeGoEscapesAndRawStringsKeepBackslashes() {
    assertThat(tokens("\"a\\tb\\\"c\\u00e9\\x41\\101\\\\\"").get(0).text()).isEqualTo("a\tb\"céAA\\");
    assertThat(tokens("`a\\d+\n`").get(0).text()).isEqualTo("a\\d+\n");
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', textBlock = """
      {app='foo'}   ; parse error at line 1, col 6: invalid char literal
      {app="foo}    ; parse error at line 1, col 6: literal not terminated
      {app=`foo}    ; parse error at line 1, col 6: literal not terminated
      {a="\\q"}     ; parse error at line 1, col 4: invalid char escape
      rate({a="b"}[1.5m]) ; parse error at line 0, col 13: unknown unit "." in duration "1.5m"
      rate({a="b"}[5m   ; parse error at line 0, col 13: missing closing ']' in duration
      """)
  void lexicalErrorsCarryLokisPositionAndText(String input, String message) {
    assertThatThrownBy(() -> LogqlParser.parse(input)).hasMessage(message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', textBlock = """
      5m        ; DURATION ; 300000000000
      1h30m     ; DURATION ; 5400000000000
      1.5s      ; DURATION ; 1500000000
      10ms      ; DURATION ; 10000000
      5d        ; DURATION ; 432000000000000
      2.5KiB    ; BYTES    ; 2560
      10KB      ; BYTES    ; 10000
      1kB       ; BYTES    ; 1000
      3MiB      ; BYTES    ; 3145728
      10B       ; BYTES    ; 10
      250       ; NUMBER   ; 0
      1.5e3     ; NUMBER   ; 0
      """)
  void numbersWithUnits(String text, TokenType type, long value) {
    Token t = tokens(text).get(0);
    assertThat(t.type()).isEqualTo(type);
    assertThat(tokens(text)).hasSize(1);
    assertThat(t.nanos()).isEqualTo(value);
  }

  @Test
  void lowerCaseKbIsNotBytes() {
    // 10m is a duration and the b is left over, as in Loki
    assertThat(kinds("10mb")).containsExactly("DURATION:10m", "IDENTIFIER:b");
    assertThat(kinds("10kb")).containsExactly("BYTES:10k", "IDENTIFIER:b");
  }

  @Test
  void signsAreSeparateExceptForDurationsAndFlags() {
    assertThat(kinds("-1 -5m --strict --keep-empty --x"))
        .containsExactly("SUB:-", "NUMBER:1", "DURATION:-5m", "PARSER_FLAG:--strict",
            "PARSER_FLAG:--keep-empty", "SUB:-", "SUB:-", "IDENTIFIER:x");
  }

  @Test
  void twoCharacterOperatorsAndRangesReportLineZero() {
    List<Token> ts = tokens("{a=\"b\"}\n  |= \"x\" [5m]");
    assertThat(ts.get(5).type()).isEqualTo(TokenType.PIPE_EXACT);
    assertThat(ts.get(5).line()).isZero();
    assertThat(ts.get(5).column()).isEqualTo(3);
    assertThat(ts.get(6).line()).isEqualTo(2);
    assertThat(ts.get(7).type()).isEqualTo(TokenType.RANGE);
    assertThat(ts.get(7).line()).isZero();
  }

  @Test
  void positionsCountLinesAndColumns() {
    assertThatThrownBy(() -> LogqlParser.parse("sum(\n  rate({a=\"b\"}[1m])\n  \"x\")"))
        .hasMessage("parse error at line 3, col 3: syntax error: unexpected STRING");
    assertThatThrownBy(() -> LogqlParser.parse(""))
        .hasMessage("parse error : syntax error: unexpected $end");
  }
}
