package io.lodge.querier.logql;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.querier.logql.ast.Expr;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** parse(print(ast)) == ast for random valid trees; printing is a fixpoint. */
class RoundTripPropertyTest {

  @Property(tries = 800)
  void printThenParseGivesTheSameTree(@ForAll long seed) {
    Expr ast = new RandomAst(seed).expr();
    String printed = ast.toString();
    Expr parsed;
    try {
      parsed = LogqlParser.parse(printed, false);
    } catch (ParseException e) {
      throw new AssertionError("seed " + seed + ": " + e.getMessage() + " in: " + printed, e);
    }
    assertThat(parsed).as("seed %d: %s", seed, printed).isEqualTo(ast);
    assertThat(parsed.toString()).isEqualTo(printed);
  }
}
