package io.lodge.config;

import java.util.List;

/**
 * The Elasticsearch bulk receiver (block {@code elasticsearch}): {@code POST <path_prefix>/_bulk} for
 * Filebeat, Logstash and Vector. {@code version} is what the version probe answers (Beats refuse a
 * server older than themselves); the field lists are the defaults that the {@code _msg_field},
 * {@code _time_field} and {@code _stream_fields} query parameters override per request.
 */
public record ElasticsearchConfig(
    boolean enabled,
    String pathPrefix,
    String version,
    List<String> msgFields,
    List<String> timeFields,
    List<String> streamFields) {

  public static ElasticsearchConfig defaults() {
    return new ElasticsearchConfig(true, "/elasticsearch", "8.19.0", List.of("message", "msg"),
        List.of("@timestamp"), List.of());
  }
}
