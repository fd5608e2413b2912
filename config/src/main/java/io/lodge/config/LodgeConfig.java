package io.lodge.config;

import java.nio.file.Path;

/**
 * The whole effective configuration: Loki's YAML layout with Lodge's defaults (those of Loki's
 * single-node example: {@code auth_enabled: false}, data under {@code ./data}), plus Lodge's own
 * receivers beyond Loki ({@code syslog}, {@code elasticsearch}).
 */
public record LodgeConfig(
    boolean authEnabled,
    ServerConfig server,
    DistributorConfig distributor,
    Path pathPrefix,
    IngesterConfig ingester,
    LimitsConfig limits,
    boolean multiTenantQueriesEnabled,
    SyslogConfig syslog,
    ElasticsearchConfig elasticsearch) {

  public static LodgeConfig defaults() {
    return new LodgeConfig(false, ServerConfig.defaults(), DistributorConfig.defaults(), Path.of("data"), IngesterConfig.defaults(),
        LimitsConfig.defaults(), false, SyslogConfig.defaults(), ElasticsearchConfig.defaults());
  }

  /** A copy with another data directory. */
  public LodgeConfig withPathPrefix(Path dir) {
    return new LodgeConfig(authEnabled, server, distributor, dir, ingester, limits, multiTenantQueriesEnabled, syslog, elasticsearch);
  }

  /** A copy with other ingester settings. */
  public LodgeConfig withIngester(IngesterConfig i) {
    return new LodgeConfig(authEnabled, server, distributor, pathPrefix, i, limits, multiTenantQueriesEnabled, syslog, elasticsearch);
  }

  /** A copy with other limits. */
  public LodgeConfig withLimits(LimitsConfig l) {
    return new LodgeConfig(authEnabled, server, distributor, pathPrefix, ingester, l, multiTenantQueriesEnabled, syslog, elasticsearch);
  }

  /** Where the WAL lives: {@code ingester.wal.dir}, else {@code <path_prefix>/wal}. */
  public Path walDir() {
    Path d = ingester.wal().dir();
    return d != null ? d : pathPrefix.resolve("wal");
  }
}
