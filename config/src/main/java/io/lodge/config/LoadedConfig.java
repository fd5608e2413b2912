package io.lodge.config;

import java.util.List;

/**
 * The result of reading flags and the config file: the effective config, warnings to log (e.g. Loki keys
 * Lodge does not use yet) and whether {@code -print-config-stderr} was asked for.
 */
public record LoadedConfig(LodgeConfig config, List<String> warnings, boolean printConfigStderr) {
  public LoadedConfig {
    warnings = List.copyOf(warnings);
  }
}
