package io.lodge.config;

import java.util.List;

/**
 * Reads Lodge's configuration like Loki's: Loki-style flags ({@code -config.file=FILE},
 * {@code -config.expand-env=true}, {@code -server.http-listen-port=3100}, ...) over a Loki-style YAML file
 * over the embedded defaults.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /** Builds the effective config from command-line flags. Throws {@link ConfigException} on bad input. */
  public static LoadedConfig load(String[] args) {
    if (args.length > 0) throw new ConfigException("flags not supported yet: " + String.join(" ", args));
    return new LoadedConfig(LodgeConfig.defaults(), List.of(), false);
  }
}
