package io.lodge.server;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A plain HTTP client for Lodge's Loki API in tests: JSON and protobuf pushes, paged reads of whole streams. */
final class TestLokiClient {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final JsonFactory json = new JsonFactory();
  private final Function<String, URI> uri;

  /** {@code uri} maps a path and query to the server's URI. */
  TestLokiClient(Function<String, URI> uri) {
    this.uri = uri;
  }

  /** A v1 JSON push body for one stream; lines are JSON-escaped here. */
  static String jsonPush(String streamLabelsJson, List<String> lines, long[] timestamps) {
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) values.append(',');
      values.append("[\"").append(timestamps[i]).append("\",\"")
          .append(lines.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append("\"]");
    }
    return "{\"streams\":[{\"stream\":" + streamLabelsJson + ",\"values\":[" + values + "]}]}";
  }

  /** A protobuf push body for one stream, snappy-compressed as shippers send it. */
  static byte[] protobufPush(String streamLabels, List<String> lines, long[] timestamps) {
    io.lodge.proto.logproto.StreamAdapter.Builder stream = io.lodge.proto.logproto.StreamAdapter.newBuilder()
        .setLabels(streamLabels);
    for (int i = 0; i < lines.size(); i++) {
      stream.addEntries(io.lodge.proto.logproto.EntryAdapter.newBuilder()
          .setTimestamp(com.google.protobuf.Timestamp.newBuilder().setSeconds(timestamps[i] / 1_000_000_000L)
              .setNanos((int) (timestamps[i] % 1_000_000_000L)))
          .setLine(lines.get(i)));
    }
    try {
      return org.xerial.snappy.Snappy.compress(
          io.lodge.proto.logproto.PushRequest.newBuilder().addStreams(stream).build().toByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** POSTs a snappy protobuf push (IOException when the server is gone). */
  HttpResponse<String> push(byte[] snappyProtobuf) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri.apply("/loki/api/v1/push")).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(snappyProtobuf))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** POSTs a JSON push; returns the status code (IOException when the server is gone). */
  HttpResponse<String> push(String body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri.apply("/loki/api/v1/push")).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Every line of the streams matching {@code selector} with from <= ts < to, counted (paged forward). */
  Map<String, Integer> readAll(String selector, long from, long to) throws IOException, InterruptedException {
    Map<String, Integer> lines = new HashMap<>();
    long start = from;
    while (true) {
      String q = URLEncoder.encode(selector, StandardCharsets.UTF_8);
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri.apply("/loki/api/v1/query_range?query=" + q
          + "&direction=forward&limit=5000&start=" + start + "&end=" + to)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) throw new IllegalStateException("query_range answered " + r.statusCode() + ": " + r.body());
      long last = -1;
      int count = 0;
      try (JsonParser p = json.createParser(r.body())) {
        while (p.nextToken() != null) {
          if (p.currentToken() == JsonToken.FIELD_NAME && "values".equals(p.currentName())) {
            p.nextToken();
            while (p.nextToken() == JsonToken.START_ARRAY) {
              p.nextToken();
              long ts = Long.parseLong(p.getText());
              p.nextToken();
              lines.merge(p.getText(), 1, Integer::sum);
              while (p.nextToken() != JsonToken.END_ARRAY) p.skipChildren();
              last = Math.max(last, ts);
              count++;
            }
          }
        }
      }
      if (count < 5000) return lines;
      start = last + 1;
    }
  }
}
