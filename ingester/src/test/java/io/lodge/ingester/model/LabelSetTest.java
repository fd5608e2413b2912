package io.lodge.ingester.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelSetTest {
  @Test
  void canonicalFormIsSortedAndGoQuoted() {
    LabelSet s = LabelSet.of("job", "x\"y", "app", "web\n");
    assertThat(s.canonical()).isEqualTo("{app=\"web\\n\", job=\"x\\\"y\"}");
    assertThat(s.get("job")).isEqualTo("x\"y");
    assertThat(s.get("nope")).isNull();
  }

  @Test
  void duplicatesAreKeptForValidation() {
    LabelSet s = LabelSet.of("job", "x", "job", "y");
    assertThat(s.firstDuplicateName()).isEqualTo("job");
    assertThat(s.canonical()).isEqualTo("{job=\"x\", job=\"y\"}");
  }

  @Test
  void emptyValuesCanBeDropped() {
    assertThat(LabelSet.of("a", "", "b", "x").withoutEmptyValues().canonical()).isEqualTo("{b=\"x\"}");
  }

  @Test
  void hashIsStableAndEqualSetsHashEqually() {
    assertThat(LabelSet.of("a", "1", "b", "2").hash()).isEqualTo(LabelSet.of("b", "2", "a", "1").hash());
    assertThat(LabelSet.of("a", "1").equals(LabelSet.of("a", "2"))).isFalse();
  }

  @Test
  void goQuoteEscapesControlAndKeepsPrintableUnicode() {
    assertThat(GoQuote.quote("é\u0001\u00a0")).isEqualTo("\"é\\x01\\u00a0\"");
  }
}
