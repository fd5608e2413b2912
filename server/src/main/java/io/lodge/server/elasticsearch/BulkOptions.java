package io.lodge.server.elasticsearch;

import io.lodge.config.ElasticsearchConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Which document fields become the line, the timestamp and the stream labels: the first present of
 * {@code msgFields} is the line, the first present of {@code timeFields} the time, every present
 * {@code streamFields} entry a label. Paths are dotted ({@code host.name}) and match nested objects
 * and literal dotted keys alike.
 */
public record BulkOptions(List<String> msgFields, List<String> timeFields, List<String> streamFields) {
  public static final String MSG_PARAM = "_msg_field";
  public static final String TIME_PARAM = "_time_field";
  public static final String STREAM_PARAM = "_stream_fields";
  public static final String MSG_HEADER = "Lodge-Msg-Field";
  public static final String TIME_HEADER = "Lodge-Time-Field";
  public static final String STREAM_HEADER = "Lodge-Stream-Fields";

  public BulkOptions {
    msgFields = List.copyOf(msgFields);
    timeFields = List.copyOf(timeFields);
    streamFields = List.copyOf(streamFields);
  }

  public static BulkOptions defaults(ElasticsearchConfig config) {
    return new BulkOptions(config.msgFields(), config.timeFields(), config.streamFields());
  }

  /**
   * The options of one request: a query parameter wins over a header, which wins over the config;
   * each is a comma-separated list (an empty parameter means "none").
   */
  public static BulkOptions resolve(ElasticsearchConfig config, Lookup params, Lookup headers) {
    return new BulkOptions(
        pick(params.get(MSG_PARAM), headers.get(MSG_HEADER), config.msgFields()),
        pick(params.get(TIME_PARAM), headers.get(TIME_HEADER), config.timeFields()),
        pick(params.get(STREAM_PARAM), headers.get(STREAM_HEADER), config.streamFields()));
  }

  /** Reads one named value (a query parameter or a header), null when absent. */
  @FunctionalInterface
  public interface Lookup {
    String get(String name);
  }

  private static List<String> pick(String param, String header, List<String> fallback) {
    String v = param != null ? param : header;
    if (v == null) return fallback;
    List<String> out = new ArrayList<>();
    for (String part : v.split(",")) {
      String p = part.trim();
      if (!p.isEmpty()) out.add(p);
    }
    return out;
  }
}
