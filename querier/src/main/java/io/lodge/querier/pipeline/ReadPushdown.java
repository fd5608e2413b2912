package io.lodge.querier.pipeline;

import io.lodge.ingester.read.ReadHints;
import io.lodge.querier.logql.ast.LineFilterExpr;
import io.lodge.querier.logql.ast.Stage;
import io.lodge.querier.pipeline.filter.RegexLiterals;
import java.util.ArrayList;
import java.util.List;

/**
 * What a log pipeline lets the store skip: the literals of its leading {@code |= "text"} filters (and
 * of {@code |~ "re"} filters: the literal every match of a regex without top-level alternatives
 * contains, {@link RegexLiterals}), which every line the pipeline keeps must contain.
 * The store tests them against each block's token filter before decompressing it and drops lines
 * without them; the pipeline still runs every stage on what comes back, so the result is the same.
 *
 * <p>Only the run of line filters at the start counts: a later stage may rewrite the line
 * ({@code line_format}), after which a filter no longer tests the stored line. Alternatives
 * ({@code |= "a" or "b"}, {@code |~ "a|b"}), negations, {@code ip()}, patterns and case-insensitive regexes give no
 * required literal (case folding in RE2 is Unicode-aware, the token filter's is ASCII).
 */
public final class ReadPushdown {
  private ReadPushdown() {}

  /** The read hints of a log query's {@code stages} (no hints when nothing is required). */
  public static ReadHints hints(List<Stage> stages) {
    List<String> literals = requiredLiterals(stages);
    return literals.isEmpty() ? ReadHints.NONE : ReadHints.requiring(literals);
  }

  /** The literals every line the pipeline keeps contains, from its leading line filters. */
  public static List<String> requiredLiterals(List<Stage> stages) {
    List<String> out = new ArrayList<>();
    for (Stage s : stages) {
      if (!(s instanceof LineFilterExpr f)) break;
      if (f.values().size() != 1) continue;
      LineFilterExpr.Value v = f.values().get(0);
      if (v.ip() || v.text().isEmpty()) continue;
      switch (f.op()) {
        case CONTAINS -> out.add(v.text());
        case MATCH -> {
          // A regex without top-level alternatives has one literal every match contains.
          List<String> literals = RegexLiterals.anyOf(v.text());
          if (literals != null && literals.size() == 1) out.add(literals.get(0));
        }
        default -> { } // negations and patterns guarantee no literal
      }
    }
    return out;
  }
}
