package io.lodge.server.syslog;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helper: runs {@code /loki/api/v1/query_range} against a real server and returns its streams. */
public final class QueryRange {
  /** One result stream: its labels (stream labels plus metadata, as Loki prints them) and entries. */
  public record Stream(Map<String, String> labels, List<Entry> entries) {}

  /** One entry: nanosecond timestamp and line. */
  public record Entry(long ts, String line) {}

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final JsonFactory JSON = new JsonFactory();

  private QueryRange() {}

  /** Streams matching {@code query} in [from, to) (nanoseconds), forward, up to 5000 entries. */
  public static List<Stream> query(int port, String query, long from, long to) throws IOException, InterruptedException {
    String q = URLEncoder.encode(query, StandardCharsets.UTF_8);
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/loki/api/v1/query_range?direction=forward&limit=5000&query=" + q + "&start=" + from + "&end=" + to))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException("query_range answered " + r.statusCode() + ": " + r.body());
    List<Stream> out = new ArrayList<>();
    try (JsonParser p = JSON.createParser(r.body())) {
      Map<String, String> labels = null;
      while (p.nextToken() != null) {
        if (p.currentToken() != JsonToken.FIELD_NAME) continue;
        if ("stream".equals(p.currentName())) {
          p.nextToken();
          labels = new LinkedHashMap<>();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            p.nextToken();
            labels.put(k, p.getText());
          }
        } else if ("values".equals(p.currentName()) && labels != null) {
          p.nextToken();
          List<Entry> entries = new ArrayList<>();
          while (p.nextToken() == JsonToken.START_ARRAY) {
            p.nextToken();
            long ts = Long.parseLong(p.getText());
            p.nextToken();
            entries.add(new Entry(ts, p.getText()));
            while (p.nextToken() != JsonToken.END_ARRAY) p.skipChildren();
          }
          out.add(new Stream(labels, entries));
          labels = null;
        }
      }
    }
    return out;
  }

  /** All lines of all matching streams. */
  public static List<String> lines(List<Stream> streams) {
    List<String> out = new ArrayList<>();
    for (Stream s : streams) for (Entry e : s.entries()) out.add(e.line());
    return out;
  }
}
