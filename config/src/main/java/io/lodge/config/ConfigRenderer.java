package io.lodge.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.NonPrintableStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.representer.StandardRepresenter;

/**
 * Writes a {@link LodgeConfig} as Loki-style YAML, for {@code GET /config} and
 * {@code -print-config-stderr}. Sizes are written as Loki prints them ({@code 256KB}), durations in
 * each field's Loki style ({@code 2h0m0s} for Go durations, {@code 1w} for Prometheus ones), so feeding
 * the output back to {@link ConfigLoader} (or to Loki) gives the same config.
 */
public final class ConfigRenderer {
  /** What to render, as Loki's {@code /config?mode=} parameter. */
  public enum Mode {
    /** Every key with its effective value. */
    FULL,
    /** Only keys whose value differs from the defaults. */
    DIFFS,
    /** The defaults, ignoring the given config. */
    DEFAULTS;

    /** Maps {@code ?mode=} values: {@code diffs}, {@code defaults}; anything else (or null) is full, as in Loki. */
    public static Mode fromQueryParam(String mode) {
      if (mode == null) return FULL;
      return switch (mode.toLowerCase(Locale.ROOT)) {
        case "diffs" -> DIFFS;
        case "defaults" -> DEFAULTS;
        default -> FULL;
      };
    }
  }

  private ConfigRenderer() {}

  /** The full effective config. */
  public static String render(LodgeConfig config) {
    return render(config, Mode.FULL);
  }

  /** Renders {@code config} in the given mode; an empty result is {@code {}}. */
  public static String render(LodgeConfig config, Mode mode) {
    LodgeConfig defaults = LodgeConfig.defaults();
    LodgeConfig shown = mode == Mode.DEFAULTS ? defaults : config;
    Map<String, Object> root = new LinkedHashMap<>();
    for (ConfigKey key : ConfigSchema.lodge().keys()) {
      Object value = key.get(shown);
      if (mode == Mode.DIFFS && Objects.equals(value, key.get(defaults))) continue;
      put(root, key.path(), key.kind().render(value));
    }
    DumpSettings settings = DumpSettings.builder()
        .setDefaultFlowStyle(FlowStyle.BLOCK)
        .setWidth(160)
        .setNonPrintableStyle(NonPrintableStyle.ESCAPE) // control characters as "\u0007", never !!binary
        .build();
    return new Dump(settings, new QuotedMultilineRepresenter(settings)).dumpToString(root);
  }

  /**
   * Writes multi-line strings double-quoted instead of as literal blocks: snakeyaml's literal emitter
   * produces YAML its own parser rejects when a value starts with blank lines followed by indentation.
   */
  private static final class QuotedMultilineRepresenter extends StandardRepresenter {
    QuotedMultilineRepresenter(DumpSettings settings) {
      super(settings);
    }

    @Override
    protected Node representScalar(Tag tag, String value, ScalarStyle style) {
      return super.representScalar(tag, value, style == ScalarStyle.LITERAL ? ScalarStyle.DOUBLE_QUOTED : style);
    }
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> root, String path, Object value) {
    String[] parts = path.split("\\.");
    Map<String, Object> current = root;
    for (int i = 0; i < parts.length - 1; i++) {
      current = (Map<String, Object>) current.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
    }
    current.put(parts[parts.length - 1], value);
  }
}
