package io.lodge.config;

import java.util.List;

/**
 * One configuration key Lodge uses: its Loki YAML path ({@code limits_config.max_line_size}), its value
 * kind, and where it lives in {@link LodgeConfig} (component names from the root record).
 */
record ConfigKey(String path, ValueKind kind, List<String> components) {
  public ConfigKey {
    components = List.copyOf(components);
  }

  /** The value of this key in {@code config}. */
  public Object get(LodgeConfig config) {
    return RecordPaths.get(config, components);
  }

  /** {@code config} with this key set to {@code value} (already of the component's type). */
  public LodgeConfig with(LodgeConfig config, Object value) {
    return RecordPaths.with(config, components, value);
  }

  /** The last path segment, the key as written inside its block. */
  public String name() {
    return path.substring(path.lastIndexOf('.') + 1);
  }
}
