package io.lodge.ingester.index;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators shared by the index oracle tests: label sets and matchers over small alphabets so that
 * matchers hit often, and regexes that exercise RE2-only syntax, literal alternations and the empty value.
 */
final class IndexArbitraries {
  static final List<String> NAMES = List.of("app", "env", "job");
  static final List<String> VALUES = List.of("a", "b", "c", "ab", "A1");
  static final List<String> REGEXES = List.of(
      "a.*", "b|c", ".*", ".+", "", "a|", "(a|b)", "ab?", "[ab]", "\\w+", "\\d+", "(?i)a1?", "a\\.b",
      "A1|", "x|y", ".", "c|ab|a");

  private IndexArbitraries() {}

  /** A stream label set: each name absent (most often), or a value; rarely an explicit empty value. */
  static Arbitrary<LabelSet> labelSets() {
    Arbitrary<String> value = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just((String) null)),
        Tuple.of(8, Arbitraries.of(VALUES)),
        Tuple.of(1, Arbitraries.just("")));
    return value.list().ofSize(NAMES.size()).map(vs -> {
      List<Label> labels = new ArrayList<>();
      for (int i = 0; i < NAMES.size(); i++) if (vs.get(i) != null) labels.add(new Label(NAMES.get(i), vs.get(i)));
      return LabelSet.of(labels);
    });
  }

  /** One matcher of any operator, on a known or an unknown label name. */
  static Arbitrary<LabelMatcher> matchers() {
    Arbitrary<String> name = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of(NAMES)), Tuple.of(1, Arbitraries.just("nope")));
    Arbitrary<LabelMatcher.Type> type = Arbitraries.of(LabelMatcher.Type.class);
    Arbitrary<String> literal = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of(VALUES)), Tuple.of(1, Arbitraries.of("", "zz")));
    Arbitrary<String> regex = Arbitraries.of(REGEXES);
    return Combinators.combine(type, name, literal, regex).as((t, n, lit, re) ->
        LabelMatcher.of(t, n, t == LabelMatcher.Type.EQ || t == LabelMatcher.Type.NEQ ? lit : re));
  }

  /** A selector of zero to three matchers, mostly one or two (longer ones rarely select anything). */
  static Arbitrary<List<LabelMatcher>> selectors() {
    Arbitrary<Integer> size = Arbitraries.frequency(
        Tuple.of(1, 0), Tuple.of(6, 1), Tuple.of(3, 2), Tuple.of(1, 3));
    return size.flatMap(n -> matchers().list().ofSize(n));
  }

  /** The oracle: Prometheus semantics straight from {@link LabelMatcher#matches}. */
  static boolean matchesAll(List<LabelMatcher> matchers, LabelSet labels) {
    return matchers.stream().allMatch(m -> m.matches(labels.get(m.name())));
  }
}
