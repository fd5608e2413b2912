package io.lodge.querier.metric;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.model.LabelSet;
import io.lodge.querier.api.QueryStats;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The exact JSON of matrix, vector and scalar results (LOKI-COMPAT 2.4.3), number formatting first. */
class MetricJsonTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "0|0",
      "1|1",
      "2|2",
      "-1|-1",
      "1.5|1.5",
      "0.1|0.1",
      "0.3333333333333333|0.3333333333333333",
      "100000|100000",
      "123456789.125|123456789.125",
      "1e21|1000000000000000000000",
      "1.5e22|15000000000000000000000",
      "1e-7|0.0000001",
      "-2.5e-5|-0.000025",
      "0.0500001|0.0500001",
      "9007199254740993|9007199254740992",
      "NaN|NaN",
      "Infinity|+Inf",
      "-Infinity|-Inf"})
  void valuesAreShortestDecimalsWithoutExponent(String input, String expected) {
    assertThat(MetricJson.value(Double.parseDouble(input))).isEqualTo(expected);
  }

  @Test
  void extremeValuesKeepEveryDigitInPlainNotation() {
    assertThat(MetricJson.value(Double.MAX_VALUE)).startsWith("17976931348623157").hasSize(309).doesNotContain("E");
    assertThat(MetricJson.value(Double.MIN_VALUE)).isEqualTo("0." + "0".repeat(323) + "5");
  }

  @ParameterizedTest(name = "{0} ms -> {1}")
  @CsvSource(delimiter = '|', value = {
      "1700000000000|1700000000",
      "1700000000500|1700000000.5",
      "1700000000123|1700000000.123",
      "1700000000010|1700000000.01",
      "1|0.001",
      "0|0",
      "60000|60"})
  void timesAreFloatSecondsWithMillisecondPrecision(long ms, String expected) {
    assertThat(MetricJson.time(ms)).isEqualTo(expected);
  }

  private static String render(MetricResult r) {
    String json = new String(MetricJson.render(r, new QueryStats()), StandardCharsets.UTF_8);
    int stats = json.indexOf(",\"stats\":");
    assertThat(stats).isPositive();
    assertThat(json).endsWith("}}");
    return json.substring(0, stats);
  }

  @Test
  void vectorJson() {
    MetricResult.Vector v = new MetricResult.Vector(1700000000123L, List.of(
        new Sample(LabelSet.of("level", "info"), 1.5), new Sample(LabelSet.EMPTY, Double.POSITIVE_INFINITY)));
    assertThat(render(v)).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":{\"level\":\"info\"},\"value\":[1700000000.123,\"1.5\"]},"
        + "{\"metric\":{},\"value\":[1700000000.123,\"+Inf\"]}]");
  }

  @Test
  void matrixJsonEscapesLabelValuesLikeGo() {
    MetricResult.Matrix m = new MetricResult.Matrix(List.of(new MetricResult.Series(
        LabelSet.of("app", "<a&b>"), new long[] {1700000000000L, 1700000060000L}, new double[] {2, 1.0 / 3})));
    assertThat(render(m)).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
        + "{\"metric\":{\"app\":\"\\u003ca\\u0026b\\u003e\"},\"values\":[[1700000000,\"2\"],[1700000060,\"0.3333333333333333\"]]}]");
  }

  @Test
  void scalarJsonUsesSecondsNotLokisBrokenTimestamp() {
    assertThat(render(new MetricResult.Scalar(1700000000500L, 2)))
        .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000.5,\"2\"]");
  }

  @Test
  void emptyResultsAreEmptyArrays() {
    assertThat(render(new MetricResult.Matrix(List.of())))
        .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]");
    assertThat(render(new MetricResult.Vector(0, List.of())))
        .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]");
  }
}
