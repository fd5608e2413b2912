package io.lodge.querier.pipeline.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.querier.pipeline.LabelsBuilder;
import io.lodge.querier.pipeline.PipelineResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** logfmt and json rendered from random maps parse back to the same labels. */
class ParserRoundTripPropertyTest {
  @Provide
  Arbitrary<Map<String, String>> fields() {
    Arbitrary<String> keys = Arbitraries.strings().withChars("abcxyz_").ofMinLength(1).ofMaxLength(6);
    Arbitrary<String> values = Arbitraries.strings().withChars("ab =\"\\\n\t\u00e9\u4e16{}[]:,").ofMinLength(1).ofMaxLength(10);
    return Arbitraries.maps(keys, values).ofMaxSize(6).map(TreeMap::new);
  }

  private static List<Label> run(io.lodge.querier.pipeline.StageProcessor p, String line) {
    LabelsBuilder b = new LabelsBuilder(LabelSet.of("app", "a"));
    b.reset(List.of());
    p.process(0, line.getBytes(StandardCharsets.UTF_8), b);
    PipelineResult r = b.result(line.getBytes(StandardCharsets.UTF_8));
    return r.parsed();
  }

  private static List<Label> expected(Map<String, String> m) {
    List<Label> out = new ArrayList<>();
    m.forEach((k, v) -> out.add(new Label(k, v)));
    out.sort(null);
    return out;
  }

  @Property(tries = 300)
  void logfmtRoundTrip(@ForAll("fields") Map<String, String> m) {
    StringBuilder sb = new StringBuilder();
    m.forEach((k, v) -> {
      if (!sb.isEmpty()) sb.append(' ');
      sb.append(k).append('=');
      boolean quote = v.chars().anyMatch(c -> c <= ' ' || c == '=' || c == '"' || c == '\\');
      if (!quote) {
        sb.append(v);
        return;
      }
      sb.append('"');
      for (char c : v.toCharArray()) {
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\t' -> sb.append("\\t");
          default -> sb.append(c);
        }
      }
      sb.append('"');
    });
    assertThat(run(new LogfmtParser(true, false), sb.toString())).isEqualTo(expected(m));
  }

  @Property(tries = 300)
  void jsonRoundTrip(@ForAll("fields") Map<String, String> m) {
    StringBuilder sb = new StringBuilder("{");
    m.forEach((k, v) -> {
      if (sb.length() > 1) sb.append(", ");
      sb.append('"').append(k).append("\": \"");
      for (char c : v.toCharArray()) {
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\t' -> sb.append("\\t");
          default -> sb.append(c < 0x80 ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
      }
      sb.append('"');
    });
    sb.append('}');
    assertThat(run(new JsonParser(), sb.toString())).isEqualTo(expected(m));
  }
}
