package io.lodge.ingester.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.model.Label;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetadataNormalizerTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "trace_id|trace_id",
      "trace.id|trace_id",
      "http-method|http_method",
      "k8s pod/name|k8s_pod_name",
      "1st|key_1st",
      "9|key_9",
      "_hidden|key_hidden",
      "_|key_",
      "__internal|__internal",
      "Ünïcödé|Ünïcödé",
      "名前|名前",
      "a😀b|a_b",
      ".x|key_x",
      "٣x|٣x"})
  void names(String in, String out) {
    assertThat(MetadataNormalizer.normalizeName(in)).isEqualTo(out);
  }

  @Test
  void normalNamesAreReturnedAsIs() {
    String s = "service_name";
    assertThat(MetadataNormalizer.normalizeName(s)).isSameAs(s);
    assertThat(MetadataNormalizer.normalizeName("")).isEmpty();
  }

  @Test
  void valuesLoseInvalidUtf8AndReplacementChars() {
    assertThat(MetadataNormalizer.cleanValue("a\uFFFDb")).isEqualTo("a b");
    assertThat(MetadataNormalizer.cleanValue("x\uD800y")).isEqualTo("x y");
    assertThat(MetadataNormalizer.cleanValue("\uDC00")).isEqualTo(" ");
    assertThat(MetadataNormalizer.cleanValue("ok 😀")).isEqualTo("ok 😀");
    String clean = "clean";
    assertThat(MetadataNormalizer.cleanValue(clean)).isSameAs(clean);
  }

  @Test
  void listIsCopiedOnlyWhenSomethingChanges() {
    List<Label> clean = List.of(new Label("a", "1"), new Label("b", "2"));
    assertThat(MetadataNormalizer.normalize(clean)).isSameAs(clean);
    assertThat(MetadataNormalizer.normalize(List.of(new Label("a", "1"), new Label("b.c", "\uFFFD"))))
        .containsExactly(new Label("a", "1"), new Label("b_c", " "));
  }
}
