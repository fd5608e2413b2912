package io.lodge.querier.metric;

import com.fasterxml.jackson.core.JsonGenerator;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.querier.api.LokiJson;
import io.lodge.querier.api.QueryStats;
import io.lodge.querier.logql.ast.Formats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Renders a {@link MetricResult} as Loki's query response (LOKI-COMPAT 2.4.3): times as JSON numbers of
 * Unix seconds with up to three decimals ({@code 1700000000}, {@code 1700000000.5}), values as strings
 * in the shortest round-trip decimal without exponent, {@code NaN}, {@code +Inf}, {@code -Inf}.
 */
public final class MetricJson {
  private MetricJson() {}

  /** The whole response body, {@code stats} included. */
  public static byte[] render(MetricResult result, QueryStats stats) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = LokiJson.generator(out)) {
      g.writeStartObject();
      g.writeStringField("status", "success");
      g.writeObjectFieldStart("data");
      switch (result) {
        case MetricResult.Matrix m -> {
          g.writeStringField("resultType", "matrix");
          g.writeArrayFieldStart("result");
          for (MetricResult.Series s : m.series()) {
            g.writeStartObject();
            writeMetric(g, s.labels());
            g.writeArrayFieldStart("values");
            for (int i = 0; i < s.size(); i++) writePoint(g, s.timesMs()[i], s.values()[i]);
            g.writeEndArray();
            g.writeEndObject();
          }
          g.writeEndArray();
        }
        case MetricResult.Vector v -> {
          g.writeStringField("resultType", "vector");
          g.writeArrayFieldStart("result");
          for (Sample s : v.samples()) {
            g.writeStartObject();
            writeMetric(g, s.labels());
            g.writeFieldName("value");
            writePoint(g, v.timeMs(), s.value());
            g.writeEndObject();
          }
          g.writeEndArray();
        }
        case MetricResult.Scalar s -> {
          g.writeStringField("resultType", "scalar");
          g.writeFieldName("result");
          writePoint(g, s.timeMs(), s.value());
        }
      }
      stats.write(g);
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeMetric(JsonGenerator g, LabelSet labels) throws IOException {
    g.writeObjectFieldStart("metric");
    for (Label l : labels.labels()) g.writeStringField(l.name(), l.value());
    g.writeEndObject();
  }

  private static void writePoint(JsonGenerator g, long timeMs, double value) throws IOException {
    g.writeStartArray();
    g.writeNumber(time(timeMs));
    g.writeString(value(value));
    g.writeEndArray();
  }

  /** Unix ms as Prometheus prints a sample time: float seconds, shortest form. */
  public static String time(long timeMs) {
    return Formats.goFloat(timeMs / 1000.0);
  }

  /** A sample value as Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}. */
  public static String value(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) return Formats.goFloat(v);
    BigDecimal d = new BigDecimal(Double.toString(v));
    if (d.stripTrailingZeros().precision() == 2) {
      // Java prints at least two digits (4.9E-324) where one already reads back (Go: 5e-324)
      BigDecimal one = d.round(new MathContext(1, RoundingMode.HALF_EVEN));
      if (one.doubleValue() == v) return one.stripTrailingZeros().toPlainString();
    }
    return Formats.goFloat(v);
  }
}
