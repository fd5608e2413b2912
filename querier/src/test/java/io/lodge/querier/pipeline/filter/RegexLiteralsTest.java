package io.lodge.querier.pipeline.filter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What each kind of regex gives as required literals, and where the reading gives up. */
class RegexLiteralsTest {
  @Test
  void eachTopLevelAlternativeGivesItsLongestRequiredRun() {
    assertThat(RegexLiterals.anyOf("fail(ed|ure)|denied|error [0-9]+")).containsExactly("fail", "denied", "error ");
    assertThat(RegexLiterals.anyOf("(?s)error.*timeout")).containsExactly("timeout");
    assertThat(RegexLiterals.anyOf("(?:GET|POST) /api")).containsExactly(" /api");
    assertThat(RegexLiterals.anyOf("(?P<code>\\d+) OK")).containsExactly(" OK");
    assertThat(RegexLiterals.anyOf("[a-z]+error")).containsExactly("error");
    assertThat(RegexLiterals.anyOf("[]a]xy|[^]]z{1}wv")).containsExactly("xy", "wv");
    assertThat(RegexLiterals.anyOf("[[:alpha:]]+ up")).containsExactly(" up");
  }

  @Test
  void aQuantifiedCharacterLeavesTheRunUnlessItIsRequiredOnce() {
    assertThat(RegexLiterals.anyOf("abc*")).containsExactly("ab");
    assertThat(RegexLiterals.anyOf("abc?defg")).containsExactly("defg");
    assertThat(RegexLiterals.anyOf("abc+")).containsExactly("abc");
    assertThat(RegexLiterals.anyOf("abc{2,3}de")).containsExactly("ab");
    assertThat(RegexLiterals.anyOf("ab{2}cde")).containsExactly("cde");
    assertThat(RegexLiterals.anyOf("(ab){2}cd")).containsExactly("cd");
    assertThat(RegexLiterals.anyOf("\\.com?")).containsExactly(".co");
    assertThat(RegexLiterals.anyOf("ab\uD83D\uDE00?")).containsExactly("ab"); // a surrogate pair leaves whole
    assertThat(RegexLiterals.anyOf("^abc$")).containsExactly("abc");
    assertThat(RegexLiterals.anyOf("\\d+ms")).containsExactly("ms");
  }

  @Test
  void whatTheReadingDoesNotFollowGivesNoLiteral() {
    assertThat(RegexLiterals.anyOf("(?i)error")).isNull();
    assertThat(RegexLiterals.anyOf("(?i:err)ors")).isNull();
    assertThat(RegexLiterals.anyOf("\\x41bcd")).isNull();
    assertThat(RegexLiterals.anyOf("\\pLabc")).isNull();
    assertThat(RegexLiterals.anyOf("\\Qa.b\\E")).isNull();
    assertThat(RegexLiterals.anyOf("x{foo}")).isNull();
    assertThat(RegexLiterals.anyOf("foo|b")).isNull();
    assertThat(RegexLiterals.anyOf("foo|")).isNull();
    assertThat(RegexLiterals.anyOf("a|(bc|cd)")).isNull();
    assertThat(RegexLiterals.anyOf("a.b.c")).isNull();
    assertThat(RegexLiterals.anyOf("ab\uFFFD")).isNull();
    assertThat(RegexLiterals.anyOf("a\uD800bc")).isNull(); // a lone surrogate
    // a quantifier after (?flags) applies to the character before them: "abd" matches abc(?s)*d
    assertThat(RegexLiterals.anyOf("abc(?s)*d")).isNull();
    assertThat(RegexLiterals.anyOf("abc(?m){0,2}")).isNull();
    assertThat(RegexLiterals.anyOf("x\\.(?U)?yz")).isNull();
    assertThat(RegexLiterals.anyOf("abc(?s)+de")).containsExactly("abc");
  }
}
