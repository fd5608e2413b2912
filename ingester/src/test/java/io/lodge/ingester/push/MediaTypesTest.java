package io.lodge.ingester.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaTypesTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "application/json|application/json",
      "Application/JSON; charset=utf-8|application/json",
      "  application/json  |application/json",
      "application/json;|application/json",
      "application/json ; charset=\"utf-8\"|application/json",
      "application/json; a=1; a=1|application/json",
      "application/json; a=\"\"|application/json",
      "application/x-protobuf|application/x-protobuf",
      "text/plain|text/plain",
      "application/jsonn|application/jsonn",
      "application/x-www-form-urlencoded|application/x-www-form-urlencoded",
      "json|json",
      "application/json; title*0=a; title*1=b|application/json",
  })
  void acceptsWhatGoAccepts(String header, String expected) {
    assertThat(MediaTypes.parse(header)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "NULL|mime: no media type",
      "''|mime: no media type",
      "'   '|mime: no media type",
      "; charset=utf-8|mime: no media type",
      "/json|mime: no media type",
      "application json|mime: expected slash after first token",
      "application/|mime: expected token after slash",
      "application/json x|mime: unexpected content after media subtype",
      "application/json; charsetutf-8|mime: invalid media parameter",
      "application/json; charset=|mime: invalid media parameter",
      "application/json; charset=\"utf-8|mime: invalid media parameter",
      "application/json; =x|mime: invalid media parameter",
      "application/json; a=1 b=2|mime: invalid media parameter",
      "application/json; a=1; a=2|mime: duplicate parameter name",
      "application/json; A=1; a=2|mime: duplicate parameter name",
  })
  void refusesWhatGoRefuses(String header, String message) {
    assertThatThrownBy(() -> MediaTypes.parse(header))
        .isInstanceOf(PushDecodeException.class)
        .hasMessage(message)
        .satisfies(e -> assertThat(((PushDecodeException) e).status()).isEqualTo(400));
  }
}
