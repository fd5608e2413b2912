package io.lodge.querier.logql;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.querier.logql.ast.Expr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Garbage in, 400 out: mutated corpus queries and token soup either parse (and then round-trip) or
 * fail with a {@link ParseException}, never with another exception.
 */
class RobustnessPropertyTest {
  private static final String[] PIECES = {
    "{", "}", "(", ")", "[5m]", "[1.5m]", "[", "]", ",", "=", "!=", "=~", "!~", "|=", "|~", "|>", "!>",
    "|", "==", ">", ">=", "<", "<=", "+", "-", "*", "/", "%", "^", " by ", " without ", " bool ",
    " offset ", " on ", " ignoring ", " group_left ", " group_right ", " or ", " and ", " unless ",
    " json ", " logfmt ", " --strict ", " regexp ", " pattern ", " unpack ", " line_format ",
    " label_format ", " decolorize ", " drop ", " keep ", " unwrap ", "rate(", "sum", "topk(",
    "count_over_time(", "quantile_over_time(", "vector(", "label_replace(", "ip(", "bytes(",
    "duration(", "app", "x", "\"v\"", "`r`", "'q'", "\"(\"", "5", "-1", "0.5", "5m", "-5m", "10KB",
    "1e3", "#c\n", "\n", " ", "\"\\q\"", "\"unterminated", "/*", "µ", "é"
  };
  private static final List<String> CORPUS = load();

  private static List<String> load() {
    try {
      return CorpusTest.lines("logql/parse_ok.txt").stream()
          .filter(l -> !l.isBlank() && !l.startsWith("# LOKI-COMPAT")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Property(tries = 1000)
  void tokenSoupFailsCleanly(@ForAll long seed) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder();
    int n = 1 + r.nextInt(25);
    for (int i = 0; i < n; i++) sb.append(PIECES[r.nextInt(PIECES.length)]);
    check(sb.toString());
  }

  @Property(tries = 1000)
  void mutatedCorpusFailsCleanly(@ForAll long seed) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder(CORPUS.get(r.nextInt(CORPUS.size())));
    int edits = 1 + r.nextInt(3);
    for (int i = 0; i < edits && !sb.isEmpty(); i++) {
      int at = r.nextInt(sb.length());
      switch (r.nextInt(3)) {
        case 0 -> sb.deleteCharAt(at);
        case 1 -> sb.insert(at, PIECES[r.nextInt(PIECES.length)]);
        default -> sb.replace(at, Math.min(sb.length(), at + 1 + r.nextInt(5)), "");
      }
    }
    check(sb.toString());
  }

  private static void check(String query) {
    Expr e;
    try {
      e = LogqlParser.parse(query, false);
    } catch (ParseException expected) {
      assertThat(expected.getMessage()).startsWith("parse error ");
      return;
    } catch (RuntimeException | StackOverflowError other) {
      throw new AssertionError("non-parse failure for: " + query, other);
    }
    assertThat(LogqlParser.parse(e.toString(), false)).as(query).isEqualTo(e);
  }
}
