package io.lodge.querier.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.querier.api.LineFields.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Field type detection in Go's parse order, and the json/logfmt field scanners. */
class FieldsTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void typesAreTriedInGoOrder() {
    Map<String, FieldType> cases = Map.ofEntries(Map.entry("42", FieldType.INT), Map.entry("-7", FieldType.INT),
        Map.entry("1", FieldType.INT), Map.entry("9223372036854775808", FieldType.FLOAT),
        Map.entry("1.5", FieldType.FLOAT), Map.entry("1e3", FieldType.FLOAT), Map.entry("NaN", FieldType.FLOAT),
        Map.entry("true", FieldType.BOOLEAN), Map.entry("T", FieldType.BOOLEAN), Map.entry("False", FieldType.BOOLEAN),
        Map.entry("15ms", FieldType.DURATION), Map.entry("1h30m", FieldType.DURATION),
        Map.entry("1.5h", FieldType.DURATION), Map.entry("10KB", FieldType.BYTES),
        Map.entry("1.5 MiB", FieldType.BYTES), Map.entry("10 kb", FieldType.BYTES), Map.entry("hello", FieldType.STRING),
        Map.entry("5x", FieldType.STRING), Map.entry("yes", FieldType.STRING), Map.entry("", FieldType.STRING));
    cases.forEach((v, t) -> assertThat(FieldType.of(v)).as(v).isEqualTo(t));
  }

  @Test
  void jsonLeavesAreFlattenedAndArraysSkipped() {
    assertThat(LineFields.json(b("{\"a\":1,\"b\":{\"c-d\":\"x\",\"e\":[1,2],\"f\":null},\"1g\":true,\"h\":2.5}")))
        .containsExactly(new Field("a", "1"), new Field("b_c_d", "x"), new Field("_1g", "true"), new Field("h", "2.5"));
    assertThat(LineFields.json(b("not json"))).isNull();
    assertThat(LineFields.json(b("{\"a\":1} trailing"))).isNull();
    assertThat(LineFields.json(b("{\"a\":"))).isNull();
    assertThat(LineFields.json(b("[1,2]"))).isNull();
  }

  @Test
  void logfmtPairs() {
    assertThat(LineFields.logfmt(b("a=1 b=\"x y\" c= d e=\"q\\\"x\" f.g=2")))
        .containsExactly(new Field("a", "1"), new Field("b", "x y"), new Field("e", "q\"x"), new Field("f_g", "2"));
    assertThat(LineFields.logfmt(b("a=\"open"))).isNull();
    assertThat(LineFields.logfmt(b("Dec 10 sshd[1]: Failed password for root"))).isEmpty();
  }

  /** Any map rendered as logfmt (values quoted and escaped) scans back to itself. */
  @Property(tries = 200)
  void logfmtRoundTrip(@ForAll Map<@AlphaChars @StringLength(min = 1, max = 6) String,
      @StringLength(min = 1, max = 10) @CharRange(from = ' ', to = '~') @Chars({'é', '"', '\\'}) String> fields) {
    StringBuilder line = new StringBuilder();
    Map<String, String> want = new TreeMap<>(fields);
    for (var e : want.entrySet()) {
      line.append(e.getKey()).append("=\"").append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\"")).append("\" ");
    }
    List<Field> got = LineFields.logfmt(b(line.toString()));
    List<Field> expected = new ArrayList<>();
    want.forEach((k, v) -> expected.add(new Field(k, v)));
    assertThat(got).isEqualTo(expected);
  }

  @Test
  void detectedLabelsSkipNumericAndUuidOnlyLabels() {
    assertThat(DetectedLabels.isNumberOrUuid("123")).isTrue();
    assertThat(DetectedLabels.isNumberOrUuid("1.5")).isTrue();
    assertThat(DetectedLabels.isNumberOrUuid("123e4567-e89b-12d3-a456-426614174000")).isTrue();
    assertThat(DetectedLabels.isNumberOrUuid("prod")).isFalse();
  }

  @Test
  void volumeBucketsAreStampedWithTheirEnds() {
    long s = 1_000_000_000L;
    VolumeAggregator agg = new VolumeAggregator(java.util.Set.of(), VolumeAggregator.AggregateBy.SERIES,
        new TimeRange(1000 * s, 2000 * s + 123_456_789L), 300 * s);
    assertThat(agg.stamp(1000 * s)).isEqualTo(1200 * s - 1_000_000L);
    assertThat(agg.stamp(1199 * s)).isEqualTo(1200 * s - 1_000_000L);
    assertThat(agg.stamp(1200 * s)).isEqualTo(1500 * s - 1_000_000L);
    assertThat(agg.stamp(1900 * s)).isEqualTo(2000 * s + 123_000_000L);
  }
}
