package io.lodge.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of reading flags and the config file: the effective config, warnings to log (e.g. Loki keys
 * Lodge does not use yet), whether {@code -print-config-stderr} was asked for, and the file read
 * ({@code null} when none).
 */
public record LoadedConfig(LodgeConfig config, List<String> warnings, boolean printConfigStderr, Path configFile) {
  public LoadedConfig {
    warnings = List.copyOf(warnings);
  }

  /** A result not read from any file. */
  public LoadedConfig(LodgeConfig config, List<String> warnings, boolean printConfigStderr) {
    this(config, warnings, printConfigStderr, null);
  }
}
