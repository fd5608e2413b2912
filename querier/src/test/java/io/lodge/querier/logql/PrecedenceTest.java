package io.lodge.querier.logql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Grouping chosen by the parser, checked through the printed form (LOKI-COMPAT §3.6, §3.2). */
class PrecedenceTest {

  private static String stage(String filters) {
    String printed = LogqlParser.parse("{app=\"x\"} | " + filters).toString();
    return printed.substring("{app=\"x\"} | ".length());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', textBlock = """
      a="1" and b="2" or c="3"          ; ( ( a="1" , b="2" ) or c="3" )
      a="1" or b="2" and c="3"          ; ( a="1" or ( b="2" , c="3" ) )
      a="1" and b="2" and c="3"         ; ( ( a="1" , b="2" ) , c="3" )
      a="1" or b="2" or c="3"           ; ( ( a="1" or b="2" ) or c="3" )
      a="1", b="2" or c="3"             ; ( a="1" , ( b="2" or c="3" ) )
      a="1" b="2" or c="3"              ; ( a="1" , ( b="2" or c="3" ) )
      a="1" or b="2", c="3"             ; ( a="1" or ( b="2" , c="3" ) )
      a="1" or b="2" c="3"              ; ( a="1" or ( b="2" , c="3" ) )
      a="1" and b="2", c="3" or d="4"   ; ( a="1" , ( b="2" , ( c="3" or d="4" ) ) )
      a="1", b="2", c="3"               ; ( a="1" , ( b="2" , c="3" ) )
      (a="1" or b="2") and c="3"        ; ( ( a="1" or b="2" ) , c="3" )
      (a="1" or b="2"), c="3" or d="4"  ; ( ( a="1" or b="2" ) , ( c="3" or d="4" ) )
      ((a="1"))                         ; a="1"
      a="1" or b="2" | c="3"            ; ( a="1" or b="2" ) | c="3"
      x > 1 and y < 2 or z == 3         ; ( ( x>1 , y<2 ) or z==3 )
      """)
  void labelFilterGrouping(String input, String expected) {
    assertThat(stage(input)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', textBlock = """
      2 ^ 3 ^ 2          ; 512
      1 >= 1 > 1         ; 0
      1 > 1 > bool 1     ; 0
      1 - 2 - 3          ; -4
      2 * 3 + 4 * 5      ; 26
      1 + -2 / 1         ; -1
      7 % 0              ; NaN
      1 / 0              ; NaN
      1 == 1             ; 1
      -(2)               ; ERR
      """)
  void literalFolding(String input, String expected) {
    if (expected.equals("ERR")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogqlParser.parse(input))
          .isInstanceOf(ParseException.class);
      return;
    }
    assertThat(LogqlParser.parse(input).toString()).isEqualTo(expected);
  }

  private static final String V = "rate({a=\"b\"}[1m])";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', textBlock = """
      V + V * V            ; (V + (V * V))
      V * V + V            ; ((V * V) + V)
      V - V - V            ; ((V - V) - V)
      V ^ V ^ V            ; (V ^ (V ^ V))
      V or V and V         ; (V or (V and V))
      V and V or V         ; ((V and V) or V)
      V unless V and V     ; ((V unless V) and V)
      V > V + V            ; (V > (V + V))
      V == bool V or V     ; ((V == bool V) or V)
      V + 2 * 3            ; (V + 6)
      (V + 2) * 3          ; ((V + 2) * 3)
      V > bool on (a) group_left (b) V ; (V > bool on (a) group_left (b) V)
      V / ignoring (a,b) V ; (V / ignoring (a,b) V)
      """)
  void binaryPrecedence(String input, String expected) {
    assertThat(LogqlParser.parse(input.replace("V", V)).toString())
        .isEqualTo(expected.replace("V", V));
  }
}
