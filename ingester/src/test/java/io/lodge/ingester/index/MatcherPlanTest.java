package io.lodge.ingester.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class MatcherPlanTest {
  @Test
  void literalAlternationsBecomeSets() {
    assertThat(MatcherPlan.literalAlternatives("a|b|c")).containsExactly("a", "b", "c");
    assertThat(MatcherPlan.literalAlternatives("(web|api)")).containsExactly("web", "api");
    assertThat(MatcherPlan.literalAlternatives("a|")).containsExactly("a", "");
    assertThat(MatcherPlan.literalAlternatives("foo\\.bar")).containsExactly("foo.bar");
    assertThat(MatcherPlan.literalAlternatives("")).containsExactly("");
    assertThat(MatcherPlan.literalAlternatives("a.*")).isNull();
    assertThat(MatcherPlan.literalAlternatives("\\d")).isNull();
    assertThat(MatcherPlan.literalAlternatives("(?i)a")).isNull();
    assertThat(MatcherPlan.literalAlternatives("(a)|(b)")).isNull();
  }

  @Test
  void plansFollowPrometheusEmptyValueRules() {
    MatcherPlan neq = MatcherPlan.of(LabelMatcher.of(LabelMatcher.Type.NEQ, "env", "prod"));
    assertThat(neq.kind()).isEqualTo(MatcherPlan.Kind.NOT_IN_SET);
    assertThat(neq.matchesAbsent()).isTrue();
    MatcherPlan eqEmpty = MatcherPlan.of(LabelMatcher.eq("env", ""));
    assertThat(eqEmpty.values()).isEmpty();
    assertThat(eqEmpty.matchesAbsent()).isTrue();
    MatcherPlan orEmpty = MatcherPlan.of(LabelMatcher.of(LabelMatcher.Type.RE, "env", "a|"));
    assertThat(orEmpty.kind()).isEqualTo(MatcherPlan.Kind.IN_SET);
    assertThat(orEmpty.values()).containsExactly("a");
    assertThat(orEmpty.matchesAbsent()).isTrue();
    assertThat(MatcherPlan.of(LabelMatcher.of(LabelMatcher.Type.RE, "env", ".+")).kind())
        .isEqualTo(MatcherPlan.Kind.PREDICATE);
  }

  /** Whatever form a plan takes, it must agree with the matcher's own re2j evaluation on every value. */
  @Property(tries = 400)
  void planAgreesWithMatcher(@ForAll("regexes") String regex, @ForAll LabelMatcher.Type type,
      @ForAll("values") List<String> values) {
    LabelMatcher m;
    try {
      m = LabelMatcher.of(type, "x", regex);
    } catch (com.google.re2j.PatternSyntaxException e) {
      return; // not a regex; the generator makes some on purpose
    }
    MatcherPlan p = MatcherPlan.of(m);
    assertThat(p.test(null)).isEqualTo(m.matches(null));
    for (String v : values) assertThat(p.test(v)).as("%s on %s", m, v).isEqualTo(m.matches(v));
  }

  @Provide
  Arbitrary<String> regexes() {
    return Arbitraries.strings().withChars("ab.|()\\*?-: ").ofMaxLength(7);
  }

  @Provide
  Arbitrary<List<String>> values() {
    return Arbitraries.strings().withChars("ab.|()\\- :").ofMaxLength(4).list().ofMaxSize(20);
  }
}
