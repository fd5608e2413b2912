package io.lodge.server.otlp;

import com.fasterxml.jackson.core.JsonGenerator;
import io.lodge.querier.api.LokiJson;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.TreeMap;

/**
 * Renders an OTLP {@link AnyValue} as text the way the collector's {@code pcommon.Value.AsString} does,
 * which is what Loki stores as the log line and as structured-metadata values: strings as is, booleans
 * {@code true}/{@code false}, integers in decimal, doubles like JavaScript (shortest digits, exponent
 * below 1e-6 and from 1e21), bytes as standard base64, maps and arrays as Go's {@code encoding/json}
 * writes them (map keys sorted, HTML-safe escaping), an empty value as the empty string.
 */
final class AnyValues {
  private AnyValues() {}

  static String asString(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> v.getBoolValue() ? "true" : "false";
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> formatDouble(v.getDoubleValue());
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case KVLIST_VALUE, ARRAY_VALUE -> toJson(v);
      // a string-table index only means something in profiles; for logs it is an empty value
      case VALUE_NOT_SET, STRING_VALUE_STRINDEX -> "";
    };
  }

  /**
   * A double as Go's JSON encoder (and pdata) prints it: shortest round-trip digits, plain notation for
   * magnitudes in [1e-6, 1e21), otherwise {@code 1.5e+21} / {@code 1e-7}. NaN and infinities are not
   * JSON; pdata answers with its error text, reproduced here.
   */
  static String formatDouble(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "json: unsupported value: " + (Double.isNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf");
    }
    if (d == 0) return (1 / d < 0) ? "-0" : "0";
    // Double.toString gives the shortest round-trip digits since JDK 19; BigDecimal exposes them.
    BigDecimal b = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    double abs = Math.abs(d);
    if (abs >= 1e-6 && abs < 1e21) return b.toPlainString();
    String digits = b.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - b.scale();
    StringBuilder sb = new StringBuilder(digits.length() + 8);
    if (d < 0) sb.append('-');
    sb.append(digits.charAt(0));
    if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
    sb.append('e').append(exponent < 0 ? '-' : '+');
    int e = Math.abs(exponent);
    // Go prints at least two exponent digits, then pdata strips the zero of "e-0X": "e+21", "e-7"
    if (e < 10 && exponent > 0) sb.append('0');
    sb.append(e);
    return sb.toString();
  }

  private static String toJson(AnyValue v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = LokiJson.generator(out)) {
      writeJson(g, v);
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory failed", e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static void writeJson(JsonGenerator g, AnyValue v) throws IOException {
    switch (v.getValueCase()) {
      case STRING_VALUE -> g.writeString(v.getStringValue());
      case BOOL_VALUE -> g.writeBoolean(v.getBoolValue());
      case INT_VALUE -> g.writeNumber(v.getIntValue());
      case DOUBLE_VALUE -> g.writeRawValue(formatDouble(v.getDoubleValue()));
      case BYTES_VALUE -> g.writeString(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        g.writeStartArray();
        for (AnyValue e : v.getArrayValue().getValuesList()) writeJson(g, e);
        g.writeEndArray();
      }
      case KVLIST_VALUE -> {
        // Go marshals a map[string]any: keys sorted, a repeated key keeps its last value
        TreeMap<String, AnyValue> sorted = new TreeMap<>();
        for (KeyValue kv : v.getKvlistValue().getValuesList()) sorted.put(kv.getKey(), kv.getValue());
        g.writeStartObject();
        for (var e : sorted.entrySet()) {
          g.writeFieldName(e.getKey());
          writeJson(g, e.getValue());
        }
        g.writeEndObject();
      }
      case VALUE_NOT_SET, STRING_VALUE_STRINDEX -> g.writeNull();
    }
  }
}
