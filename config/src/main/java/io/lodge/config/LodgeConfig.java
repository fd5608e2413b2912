package io.lodge.config;

import java.nio.file.Path;

/**
 * The whole effective configuration: Loki's YAML layout with Lodge's defaults (those of Loki's
 * single-node example: {@code auth_enabled: false}, data under {@code ./data}).
 */
public record LodgeConfig(
    boolean authEnabled,
    ServerConfig server,
    Path pathPrefix,
    IngesterConfig ingester,
    LimitsConfig limits,
    boolean multiTenantQueriesEnabled) {

  public static LodgeConfig defaults() {
    return new LodgeConfig(false, ServerConfig.defaults(), Path.of("data"), IngesterConfig.defaults(),
        LimitsConfig.defaults(), false);
  }

  /** Where the WAL lives: {@code ingester.wal.dir}, else {@code <path_prefix>/wal}. */
  public Path walDir() {
    Path d = ingester.wal().dir();
    return d != null ? d : pathPrefix.resolve("wal");
  }
}
