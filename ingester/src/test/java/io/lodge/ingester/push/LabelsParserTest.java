package io.lodge.ingester.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelsParserTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // input | canonical result
      "{foo=\"bar\"}|{foo=\"bar\"}",
      "{b=\"2\", a=\"1\"}|{a=\"1\", b=\"2\"}",
      "{a=\"1\",}|{a=\"1\"}",
      "  {  a  =  \"1\"  ,  b='2' , c=`3`  }  |{a=\"1\", b=\"2\", c=\"3\"}",
      "{}|{}",
      "''|{}",
      "'   '|{}",
      "{a=\"\", b=\"x\"}|{b=\"x\"}",
      "{a=\"\"}|{}",
      "foo{a=\"1\"}|{__name__=\"foo\", a=\"1\"}",
      "foo|{__name__=\"foo\"}",
      "foo:bar {a=\"1\"}|{__name__=\"foo:bar\", a=\"1\"}",
      "foo{__name__=\"bar\"}|{__name__=\"foo\"}",
      "sum{a=\"1\"}|{__name__=\"sum\", a=\"1\"}",
      "{a=\"x\\\"y\"}|{a=\"x\\\"y\"}",
      "{a=\"tab\\there\"}|{a=\"tab\\there\"}",
      "{a=\"\\u00e9\\x41\\101\\U0001F600\"}|{a=\"éAA😀\"}",
      "{a='it\\'s'}|{a=\"it's\"}",
      "{a=`raw\\n`}|{a=\"raw\\\\n\"}",
      "{a=\"é\"}|{a=\"é\"}",
      "{_x9=\"1\", A_B=\"2\"}|{A_B=\"2\", _x9=\"1\"}",
      "{a=\"\\xc3\\xa9\"}|{a=\"é\"}",
  })
  void parsesPrometheusSeriesText(String input, String canonical) {
    assertThat(LabelsParser.parse(input).canonical()).isEqualTo(canonical);
  }

  @Test
  void lineCommentsAndNewlinesAreWhitespace() {
    assertThat(LabelsParser.parse("{a=\"1\" # comment, x=\"y\"\n, b=\"2\"\n}").canonical())
        .isEqualTo("{a=\"1\", b=\"2\"}");
    assertThat(LabelsParser.parse("{a=`multi\nline`}").get("a")).isEqualTo("multi\nline");
  }

  @Test
  void keepsDuplicateNamesInInputOrderAndDropsEveryNameThatHasAnEmptyValue() {
    LabelSet s = LabelsParser.parse("{job=\"y\", a=\"1\", job=\"x\"}");
    assertThat(s.labels()).containsExactly(new Label("a", "1"), new Label("job", "y"), new Label("job", "x"));
    assertThat(s.firstDuplicateName()).isEqualTo("job");
    // Prometheus' label builder deletes by name: one empty value removes all labels of that name.
    assertThat(LabelsParser.parse("{job=\"\", job=\"x\", b=\"1\"}").canonical()).isEqualTo("{b=\"1\"}");
  }

  @Test
  void multiLineInputCountsLinesAndByteColumns() {
    assertThatThrownBy(() -> LabelsParser.parse("{a=\"1\",\n  job.name=\"x\"}"))
        .hasMessage("couldn't parse labels: 2:6: parse error: unexpected character inside braces: '.'");
    assertThatThrownBy(() -> LabelsParser.parse("{é=\"1\"}"))
        .hasMessage("couldn't parse labels: 1:2: parse error: unexpected character inside braces: 'é'");
    assertThatThrownBy(() -> LabelsParser.parse("{a=\"é\", b.c=\"1\"}"))
        .hasMessage("couldn't parse labels: 1:11: parse error: unexpected character inside braces: '.'");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{job.name=\"x\"}|1:5: parse error: unexpected character inside braces: '.'",
      "{a}|1:3: parse error: unexpected \"}\" in label set, expected \"=\"",
      "{a=}|1:4: parse error: unexpected \"}\" in label set, expected string",
      "{a=\"b\" c=\"d\"}|1:8: parse error: unexpected identifier \"c\" in label set, expected \",\" or \"}\"",
      "{a=~\"b\"}|1:3: parse error: unexpected <op:=~> in label set, expected \"=\"",
      "{a!=\"b\"}|1:3: parse error: unexpected <op:!=> in label set, expected \"=\"",
      "{a=\"b\"|1:7: parse error: unexpected end of input inside braces",
      "{a=\"b|1:4: parse error: unterminated quoted string",
      "{a=`b|1:4: parse error: unterminated raw string",
      "{a=\"\\q\"}|1:4: parse error: unknown escape sequence U+0071 'q'",
      "{a='\\\"'}|1:4: parse error: unknown escape sequence U+0022 '\"'",
      "{a=\"\\x4g\"}|1:4: parse error: illegal character U+0067 'g' in escape sequence",
      "{a=\"\\ud800\"}|1:4: parse error: escape sequence is an invalid Unicode code point",
      "{1a=\"b\"}|1:2: parse error: unexpected character inside braces: '1'",
      "{,}|1:2: parse error: unexpected \",\" in label set, expected identifier or \"}\"",
      "{\"a\"=\"b\"}|1:2: parse error: unexpected string \"\\\"a\\\"\" in label set, expected identifier or \"}\"",
      "{a=\"b\"}x|1:8: parse error: unexpected identifier \"x\"",
      "{a=\"b\"}}|1:8: parse error: unexpected character: '}'",
      "{{|1:2: parse error: unexpected left brace '{'",
      "a=\"b\"|1:2: parse error: unexpected character: '='",
      "on{a=\"b\"}|1:1: parse error: unexpected <on>",
      "{a=\"\uFFFD\"}|1:4: parse error: invalid UTF-8 rune",
      "{a=\"b\" ! }|1:8: parse error: unexpected character after '!' inside braces: ' '",
  })
  void reportsPrometheusErrorsWithPosition(String input, String detail) {
    assertThatThrownBy(() -> LabelsParser.parse(input))
        .isInstanceOf(LabelsParseException.class)
        .hasMessage("couldn't parse labels: " + detail)
        .satisfies(e -> assertThat(((PushDecodeException) e).status()).isEqualTo(400));
  }

  @Test
  void unterminatedEscape() {
    assertThatThrownBy(() -> LabelsParser.parse("{a=\"\\"))
        .hasMessage("couldn't parse labels: 1:4: parse error: escape sequence not terminated");
  }

  @Test
  void jsonObjectPairsKeepTheLastValueAndRefuseBadNamesLikeTheRenderedString() {
    LabelSet s = LabelsParser.fromPairs(List.of(new Label("b", "1"), new Label("a", "x"), new Label("b", "2"),
        new Label("c", "")));
    assertThat(s.canonical()).isEqualTo("{a=\"x\", b=\"2\"}");
    assertThatThrownBy(() -> LabelsParser.fromPairs(List.of(new Label("job.name", "x"))))
        .hasMessage("couldn't parse labels: 1:5: parse error: unexpected character inside braces: '.'");
    assertThat(LabelsParser.fromPairs(List.of())).isEqualTo(LabelSet.EMPTY);
  }

  // ---- property: canonical text round-trips through the parser ----------------------------------

  @Property(tries = 300)
  void canonicalFormParsesBackToTheSameSet(@ForAll("labelMaps") Map<String, String> labels) {
    LabelSet set = LabelSet.of(labels);
    LabelSet expected = set.withoutEmptyValues();
    assertThat(LabelsParser.parse(set.canonical())).isEqualTo(expected);
    assertThat(LabelsParser.fromPairs(new ArrayList<>(set.labels()))).isEqualTo(expected);
  }

  @Property(tries = 300)
  void neverThrowsAnythingButAParseError(@ForAll("labelish") String input) {
    try {
      LabelSet s = LabelsParser.parse(input);
      assertThat(s).isNotNull();
    } catch (LabelsParseException e) {
      assertThat(e.getMessage()).startsWith("couldn't parse labels: ").contains(": parse error: ");
      assertThat(e.line()).isPositive();
      assertThat(e.column()).isPositive();
    }
  }

  @Provide
  Arbitrary<Map<String, String>> labelMaps() {
    Arbitrary<String> names = Arbitraries.strings().withChars("abcXYZ_019").ofMinLength(1).ofMaxLength(8)
        .filter(LabelsParser::isLabelName);
    Arbitrary<String> values = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(12), // any chars, including controls and unpaired surrogates
        Arbitraries.strings().withChars("ab\"\\\n\t'`é😀").ofMaxLength(6));
    return Arbitraries.maps(names, values.map(LabelsParserTest::wellFormed)).ofMaxSize(6).map(TreeMap::new);
  }

  @Provide
  Arbitrary<String> labelish() {
    return Arbitraries.strings().withChars("{}=,!~\"'`\\ a_b1.:#\nxu0é\uFFFD").ofMaxLength(24);
  }

  /** Strings as Go would see them: unpaired surrogates and U+FFFD cannot be told apart from bad UTF-8. */
  private static String wellFormed(String s) {
    StringBuilder sb = new StringBuilder();
    s.codePoints().forEach(cp -> sb.appendCodePoint(cp >= 0xD800 && cp <= 0xDFFF || cp == 0xFFFD ? 'x' : cp));
    return sb.toString();
  }
}
