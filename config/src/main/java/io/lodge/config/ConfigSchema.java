package io.lodge.config;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every YAML key Lodge uses, derived from the config records: a component's key is its name in
 * snake_case under its record's block ({@code LimitsConfig.maxLineSize} is
 * {@code limits_config.max_line_size}). The few places where Lodge's records are laid out differently
 * from Loki's YAML are listed in {@link #PLACEMENT}; value kinds come from the Java type, with Loki's
 * Go-vs-Prometheus duration split and int-vs-size byte fields in {@link #KIND_OVERRIDES}.
 */
final class ConfigSchema {
  /** Where a component of {@link LodgeConfig} (or a derived path) sits in Loki's YAML. */
  private static final Map<String, String> PLACEMENT = Map.of(
      "path_prefix", "common.path_prefix",
      "limits", "limits_config",
      "multi_tenant_queries_enabled", "querier.multi_tenant_queries_enabled",
      "server.max_request_body_size", "server.http_server_max_request_body_size",
      "distributor.otlp_default_resource_attributes_as_index_labels",
      "distributor.otlp_config.default_resource_attributes_as_index_labels");

  /** Loki writes these byte counts as plain ints (Go {@code int} fields), not as {@code 256KB} strings. */
  private static final Map<String, ValueKind> KIND_OVERRIDES = Map.of(
      "ingester.chunk_target_size", ValueKind.INT_BYTES,
      "ingester.chunk_block_size", ValueKind.INT_BYTES,
      "limits_config.otlp_config.resource_attributes.attributes_config", ValueKind.ATTRIBUTE_RULES,
      "limits_config.otlp_config.scope_attributes", ValueKind.ATTRIBUTE_RULES,
      "limits_config.otlp_config.log_attributes", ValueKind.ATTRIBUTE_RULES);

  private static final ConfigSchema INSTANCE = new ConfigSchema();

  private final Map<String, ConfigKey> byPath = new LinkedHashMap<>();
  private final Set<String> blocks = new LinkedHashSet<>();

  private ConfigSchema() {
    walk(LodgeConfig.class, "", List.of());
    for (String path : byPath.keySet()) {
      for (int dot = path.indexOf('.'); dot >= 0; dot = path.indexOf('.', dot + 1)) blocks.add(path.substring(0, dot));
    }
  }

  /** The schema of {@link LodgeConfig}. */
  public static ConfigSchema lodge() {
    return INSTANCE;
  }

  /** All keys, in record order (which is also the order {@link ConfigRenderer} writes them). */
  public List<ConfigKey> keys() {
    return List.copyOf(byPath.values());
  }

  /** The key at a full YAML path, or null. */
  public ConfigKey key(String path) {
    return byPath.get(path);
  }

  /** Whether {@code path} is a block holding Lodge keys ({@code server}, {@code ingester.wal}, {@code common}). */
  public boolean isBlock(String path) {
    return blocks.contains(path);
  }

  /** Names of the Lodge keys and blocks directly inside {@code block} ("" = top level). */
  public Set<String> children(String block) {
    Set<String> out = new LinkedHashSet<>();
    String prefix = block.isEmpty() ? "" : block + ".";
    for (String path : byPath.keySet()) {
      if (!path.startsWith(prefix)) continue;
      String rest = path.substring(prefix.length());
      int dot = rest.indexOf('.');
      out.add(dot < 0 ? rest : rest.substring(0, dot));
    }
    return Collections.unmodifiableSet(out);
  }

  /**
   * Checks the ranges Lodge cannot run with (ports, log level and format).
   *
   * @return null when fine, else why not
   */
  public static String validate(ConfigKey key, Object value) {
    return switch (key.path()) {
      case "server.http_listen_port", "server.grpc_listen_port" -> {
        int port = (Integer) value;
        yield port < 0 || port > 65535 ? "port " + port + " is out of range 0..65535" : null;
      }
      case "ingester.concurrent_flushes" -> (Integer) value < 1
          ? "concurrent flushes must be at least 1, got " + value : null;
      case "ingester.line_dictionaries.size_bytes" -> (Long) value < 1024 || (Long) value > (8L << 20)
          ? "a line dictionary must be 1KiB to 8MiB, got " + value + " bytes" : null;
      case "ingester.line_dictionaries.sample_bytes" -> (Long) value < 8192 || (Long) value > (256L << 20)
          ? "a line dictionary sample must be 8KiB to 256MiB, got " + value + " bytes" : null;
      case "ingester.line_dictionaries.max_dictionaries" -> (Integer) value < 0
          ? "max dictionaries must be at least 0, got " + value : null;
      case "ingester.line_dictionaries.group_label" -> ((String) value).isEmpty()
          ? "the line dictionary group label must not be empty" : null;
      case "server.log_level" -> Set.of("debug", "info", "warn", "error").contains(value)
          ? null : "log level '" + value + "' is not one of debug, info, warn, error";
      case "server.log_format" -> Set.of("logfmt", "json").contains(value)
          ? null : "log format '" + value + "' is not one of logfmt, json";
      default -> null;
    };
  }

  /**
   * Maps values Loki gives a meaning to onto Lodge's representation: an empty listen address means all
   * interfaces ({@code 0.0.0.0}), an empty {@code path_prefix} means the working directory.
   */
  static Object normalize(ConfigKey key, Object value) {
    return switch (key.path()) {
      case "server.http_listen_address", "server.grpc_listen_address" -> ((String) value).isEmpty() ? "0.0.0.0" : value;
      case "common.path_prefix" -> value == null ? Path.of("") : value;
      default -> value;
    };
  }

  private void walk(Class<?> type, String yamlPrefix, List<String> chain) {
    for (RecordComponent c : type.getRecordComponents()) {
      String derived = yamlPrefix + snake(c.getName());
      String path = PLACEMENT.getOrDefault(derived, derived);
      List<String> next = new ArrayList<>(chain);
      next.add(c.getName());
      if (c.getType().isRecord()) {
        walk(c.getType(), path + ".", next);
      } else {
        byPath.put(path, new ConfigKey(path, kindOf(path, c.getType()), next));
      }
    }
  }

  private static ValueKind kindOf(String path, Class<?> type) {
    ValueKind override = KIND_OVERRIDES.get(path);
    if (override != null) return override;
    if (type == boolean.class) return ValueKind.BOOL;
    if (type == int.class) return ValueKind.INT;
    if (type == long.class) return ValueKind.SIZE; // every long in the records is a byte count
    if (type == double.class) return ValueKind.FLOAT;
    if (type == String.class) return ValueKind.STRING;
    if (type == Path.class) return ValueKind.PATH;
    if (type == Instant.class) return ValueKind.TIME;
    if (type == List.class) return ValueKind.STRING_LIST;
    // limits_config durations are Prometheus model.Duration in Loki; the others are Go time.Duration
    if (type == Duration.class) return path.startsWith("limits_config.") ? ValueKind.DURATION_PROM : ValueKind.DURATION_GO;
    throw new IllegalStateException("no value kind for " + path + " of type " + type);
  }

  static String snake(String camel) {
    StringBuilder sb = new StringBuilder(camel.length() + 8);
    for (int i = 0; i < camel.length(); i++) {
      char ch = camel.charAt(i);
      if (Character.isUpperCase(ch)) {
        if (i > 0) sb.append('_');
        sb.append(Character.toLowerCase(ch));
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }
}
