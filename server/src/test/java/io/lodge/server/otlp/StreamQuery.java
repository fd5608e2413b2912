package io.lodge.server.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test helper: runs {@code /loki/api/v1/query_range} and returns every stream with its labels and entries. */
public final class StreamQuery {
  /** One result stream: all labels (stream labels and structured metadata) and its entries in order. */
  public record Stream(Map<String, String> labels, List<Entry> entries) {}

  /** One entry: timestamp in ns and the line. */
  public record Entry(long ts, String line) {}

  private static final JsonFactory JSON = new JsonFactory();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private StreamQuery() {}

  /** Streams matching {@code selector} in [start, end), forward, with optional tenant header (null: none). */
  public static List<Stream> query(int httpPort, String tenant, String selector, long start, long end)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
        + "/loki/api/v1/query_range?direction=forward&limit=5000&query="
        + URLEncoder.encode(selector, StandardCharsets.UTF_8) + "&start=" + start + "&end=" + end));
    if (tenant != null) b.header("X-Scope-OrgID", tenant);
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException("query_range answered " + r.statusCode() + ": " + r.body());
    List<Stream> out = new ArrayList<>();
    try (JsonParser p = JSON.createParser(r.body())) {
      while (p.nextToken() != null) {
        if (p.currentToken() == JsonToken.FIELD_NAME && "result".equals(p.currentName())) {
          p.nextToken();
          while (p.nextToken() == JsonToken.START_OBJECT) out.add(readStream(p));
          break;
        }
      }
    }
    return out;
  }

  private static Stream readStream(JsonParser p) throws IOException {
    Map<String, String> labels = new TreeMap<>();
    List<Entry> entries = new ArrayList<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("stream")) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          labels.put(name, p.getText());
        }
      } else if (field.equals("values")) {
        while (p.nextToken() == JsonToken.START_ARRAY) {
          p.nextToken();
          long ts = Long.parseLong(p.getText());
          p.nextToken();
          entries.add(new Entry(ts, p.getText()));
          while (p.nextToken() != JsonToken.END_ARRAY) p.skipChildren();
        }
      } else {
        p.skipChildren();
      }
    }
    return new Stream(labels, entries);
  }
}
