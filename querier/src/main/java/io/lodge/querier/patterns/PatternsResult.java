package io.lodge.querier.patterns;

import com.fasterxml.jackson.core.JsonGenerator;
import io.lodge.querier.api.LokiJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The {@code /loki/api/v1/patterns} answer (LOKI-COMPAT 2.11):
 * {@code {"status":"success","data":[{"pattern":"...","samples":[[unix_seconds,count],...]}]}} with both
 * sample members JSON numbers.
 */
public final class PatternsResult {
  private PatternsResult() {}

  public static byte[] render(List<MinedPattern> patterns) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 128 * patterns.size());
    try (JsonGenerator g = LokiJson.generator(out)) {
      g.writeStartObject();
      g.writeStringField("status", "success");
      g.writeArrayFieldStart("data");
      for (MinedPattern p : patterns) {
        g.writeStartObject();
        g.writeStringField("pattern", p.pattern());
        g.writeArrayFieldStart("samples");
        for (Map.Entry<Long, Long> s : p.samples().entrySet()) {
          g.writeStartArray();
          g.writeNumber(s.getKey());
          g.writeNumber(s.getValue());
          g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
