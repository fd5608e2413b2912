package io.lodge.querier.logql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.querier.logql.ast.Expr;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs the LOKI-COMPAT §4 corpus (test resources {@code logql/parse_*.txt}) through the parser. */
class CorpusTest {

  static Stream<String> okQueries() throws IOException {
    return lines("logql/parse_ok.txt").stream()
        .filter(l -> !l.isBlank() && !l.startsWith("# LOKI-COMPAT"));
  }

  static Stream<Arguments> errorCases() throws IOException {
    List<Arguments> out = new ArrayList<>();
    String query = null;
    for (String l : lines("logql/parse_errors.txt")) {
      if (l.startsWith("query: ")) query = l.substring("query: ".length());
      else if (l.startsWith("error: ")) out.add(Arguments.of(query, l.substring("error: ".length())));
    }
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("okQueries")
  void parsesAndRoundTrips(String query) {
    Expr e = LogqlParser.parse(query);
    String printed = e.toString();
    Expr again = LogqlParser.parse(printed);
    assertThat(again).as("reparse of %s", printed).isEqualTo(e);
    assertThat(again.toString()).isEqualTo(printed);
  }

  @ParameterizedTest
  @MethodSource("errorCases")
  void rejectsWithLokiMessage(String query, String message) {
    assertThatThrownBy(() -> LogqlParser.parse(query))
        .isInstanceOf(ParseException.class)
        .hasMessage(message)
        .satisfies(t -> assertThat(((ParseException) t).status()).isEqualTo(400));
  }

  static List<String> lines(String resource) throws IOException {
    try (InputStream in = CorpusTest.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IOException("missing test resource " + resource);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }
}
