package io.lodge.server.elasticsearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON bodies Lodge answers in Elasticsearch's shapes: the version probe (8.x root endpoint),
 * {@code _license}, {@code _xpack}, request-level errors and the bulk response.
 */
final class EsJson {
  private final JsonFactory json;

  EsJson(JsonFactory json) {
    this.json = json;
  }

  @FunctionalInterface
  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private byte[] render(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = json.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException("rendering an Elasticsearch response", e);
    }
    return out.toByteArray();
  }

  /** {@code GET /}: what Filebeat, Logstash and Vector read {@code version.number} from. */
  byte[] root(String version) {
    return render(g -> {
      g.writeStartObject();
      g.writeStringField("name", "lodge");
      g.writeStringField("cluster_name", "lodge");
      g.writeStringField("cluster_uuid", "lodge-0000000000000000000");
      g.writeObjectFieldStart("version");
      g.writeStringField("number", version);
      g.writeStringField("build_flavor", "default");
      g.writeStringField("build_type", "tar");
      g.writeStringField("build_hash", "lodge");
      g.writeStringField("build_date", "2025-01-01T00:00:00.000Z");
      g.writeBooleanField("build_snapshot", false);
      g.writeStringField("lucene_version", "9.12.0");
      g.writeStringField("minimum_wire_compatibility_version", "7.17.0");
      g.writeStringField("minimum_index_compatibility_version", "7.0.0");
      g.writeEndObject();
      g.writeStringField("tagline", "You Know, for Search");
      g.writeEndObject();
    });
  }

  /** {@code GET /_license}: an active basic license, which the Beats' license check accepts. */
  byte[] license() {
    return render(g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("license");
      writeLicense(g);
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  /** {@code GET /_xpack}: what Beats 7.x read the license from. */
  byte[] xpack() {
    return render(g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("build");
      g.writeStringField("hash", "lodge");
      g.writeStringField("date", "2025-01-01T00:00:00.000Z");
      g.writeEndObject();
      g.writeObjectFieldStart("license");
      writeLicense(g);
      g.writeEndObject();
      g.writeObjectFieldStart("features");
      g.writeEndObject();
      g.writeStringField("tagline", "for the good of the world");
      g.writeEndObject();
    });
  }

  private static void writeLicense(JsonGenerator g) throws IOException {
    g.writeStringField("uid", "00000000-0000-0000-0000-000000000000");
    g.writeStringField("type", "basic");
    g.writeStringField("mode", "basic");
    g.writeStringField("status", "active");
    g.writeNumberField("expiry_date_in_millis", 4_102_444_800_000L);
  }

  /** {@code GET /_cluster/health}: Vector's health check wants a 200 with a status. */
  byte[] clusterHealth() {
    return render(g -> {
      g.writeStartObject();
      g.writeStringField("cluster_name", "lodge");
      g.writeStringField("status", "green");
      g.writeBooleanField("timed_out", false);
      g.writeNumberField("number_of_nodes", 1);
      g.writeNumberField("number_of_data_nodes", 1);
      g.writeEndObject();
    });
  }

  /** {@code {}}: for the setup calls (templates, ILM policies, pipelines) Lodge has nothing to do for. */
  byte[] empty() {
    return "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** {@code {"acknowledged":true}}: for setup writes. */
  byte[] acknowledged() {
    return "{\"acknowledged\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A request-level error: {@code {"error":{"root_cause":[...],"type":..,"reason":..},"status":N}}. */
  byte[] error(int status, String type, String reason) {
    return render(g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("error");
      g.writeArrayFieldStart("root_cause");
      g.writeStartObject();
      g.writeStringField("type", type);
      g.writeStringField("reason", reason);
      g.writeEndObject();
      g.writeEndArray();
      g.writeStringField("type", type);
      g.writeStringField("reason", reason);
      g.writeEndObject();
      g.writeNumberField("status", status);
      g.writeEndObject();
    });
  }

  /** The bulk response: {@code took}, {@code errors} and one item per action, in request order. */
  byte[] bulk(long tookMillis, List<BulkItem> items) {
    boolean errors = false;
    for (BulkItem i : items) errors |= i.isError();
    boolean anyErrors = errors;
    return render(g -> {
      g.writeStartObject();
      g.writeNumberField("took", tookMillis);
      g.writeBooleanField("errors", anyErrors);
      g.writeArrayFieldStart("items");
      long seqNo = 0;
      for (BulkItem i : items) {
        g.writeStartObject();
        g.writeObjectFieldStart(i.action());
        if (i.index() != null) g.writeStringField("_index", i.index());
        else g.writeNullField("_index");
        if (i.id() != null) g.writeStringField("_id", i.id());
        else g.writeNullField("_id");
        if (i.isError()) {
          g.writeNumberField("status", i.status());
          g.writeObjectFieldStart("error");
          g.writeStringField("type", i.errorType());
          g.writeStringField("reason", i.errorReason());
          g.writeEndObject();
        } else {
          g.writeNumberField("_version", 1);
          g.writeStringField("result", "created");
          g.writeObjectFieldStart("_shards");
          g.writeNumberField("total", 1);
          g.writeNumberField("successful", 1);
          g.writeNumberField("failed", 0);
          g.writeEndObject();
          g.writeNumberField("_seq_no", seqNo++);
          g.writeNumberField("_primary_term", 1);
          g.writeNumberField("status", i.status());
        }
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }
}
