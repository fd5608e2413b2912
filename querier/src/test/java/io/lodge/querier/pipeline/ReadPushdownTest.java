package io.lodge.querier.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ast.LogQuery;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which literals of a log pipeline go down to the store. */
class ReadPushdownTest {
  private static List<String> literals(String query) {
    return ReadPushdown.requiredLiterals(((LogQuery) LogqlParser.parse(query)).stages());
  }

  @Test
  void leadingPositiveLiteralFiltersArePushed() {
    assertThat(literals("{a=\"b\"} |= \"error\" |= \"disk full\"")).containsExactly("error", "disk full");
    assertThat(literals("{a=\"b\"} |~ \"timeout\" |= \"x\"")).containsExactly("timeout", "x");
    assertThat(literals("{a=\"b\"} != \"debug\" |= \"error\"")).containsExactly("error");
    // a regex gives the literal every match of it contains
    assertThat(literals("{a=\"b\"} |~ \"error [0-9]+ in .*\"")).containsExactly("error ");
    assertThat(literals("{a=\"b\"} |~ \"(GET|POST) /api/v[12]\"")).containsExactly(" /api/v");
    assertThat(literals("{a=\"b\"} |~ \"err.r\"")).containsExactly("err");
  }

  @Test
  void nothingThatCouldDropAWantedLineIsPushed() {
    assertThat(literals("{a=\"b\"}")).isEmpty();
    assertThat(literals("{a=\"b\"} |= \"\"")).isEmpty();
    assertThat(literals("{a=\"b\"} |= \"a\" or \"b\"")).isEmpty();
    assertThat(literals("{a=\"b\"} |~ \"e.r\"")).isEmpty();
    assertThat(literals("{a=\"b\"} |~ \"(?i)error\"")).isEmpty();
    assertThat(literals("{a=\"b\"} |~ \"fail(ed|ure)|denied\"")).isEmpty(); // one of two: not pushed
    assertThat(literals("{a=\"b\"} |~ \"er?\"")).isEmpty(); // no run of two characters
    assertThat(literals("{a=\"b\"} |= ip(\"10.0.0.1\")")).isEmpty();
    assertThat(literals("{a=\"b\"} |> \"<_> error <_>\"")).isEmpty();
    // after a parser or a line_format the later filters stay in the pipeline only
    assertThat(literals("{a=\"b\"} |= \"x\" | logfmt |= \"y\"")).containsExactly("x");
    assertThat(literals("{a=\"b\"} | line_format \"{{.a}}\" |= \"y\"")).isEmpty();
  }
}
