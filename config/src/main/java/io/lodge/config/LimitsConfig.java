package io.lodge.config;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Loki's {@code limits_config} (per tenant in Loki; global in Lodge for now). Field names follow the
 * YAML keys; defaults are Loki 3.4.6's (LOKI-COMPAT sections 1.6 to 1.9 and 2.17). Sizes are bytes,
 * rates bytes per second.
 */
public record LimitsConfig(
    // ingestion (LOKI-COMPAT 1.7 to 1.9)
    double ingestionRateMb,
    double ingestionBurstSizeMb,
    int maxLabelNameLength,
    int maxLabelValueLength,
    int maxLabelNamesPerSeries,
    boolean rejectOldSamples,
    Duration rejectOldSamplesMaxAge,
    Duration creationGracePeriod,
    long maxLineSize,
    boolean maxLineSizeTruncate,
    boolean incrementDuplicateTimestamp,
    List<String> discoverServiceName,
    boolean discoverLogLevels,
    List<String> logLevelFields,
    boolean allowStructuredMetadata,
    long maxStructuredMetadataSize,
    int maxStructuredMetadataEntriesCount,
    OtlpConfig otlpConfig,
    long perStreamRateLimit,
    long perStreamRateLimitBurst,
    int maxStreamsPerUser,
    int maxGlobalStreamsPerUser,
    boolean unorderedWrites,
    Instant blockIngestionUntil,
    int blockIngestionStatusCode,
    List<String> enforcedLabels,
    // queries (LOKI-COMPAT 2.17)
    int maxEntriesLimitPerQuery,
    int maxQuerySeries,
    Duration maxQueryLength,
    Duration queryTimeout,
    Duration maxQueryLookback,
    int maxConcurrentTailRequests,
    long maxQueryBytesRead,
    boolean volumeEnabled,
    int volumeMaxSeries) {

  /** Loki's default list for {@code discover_service_name}. */
  public static final List<String> DEFAULT_SERVICE_NAME_LABELS = List.of(
      "service", "app", "application", "app_name", "name", "app_kubernetes_io_name", "container",
      "container_name", "k8s_container_name", "component", "workload", "job", "k8s_job_name");

  /** Loki's default list for {@code log_level_fields}. */
  public static final List<String> DEFAULT_LOG_LEVEL_FIELDS =
      List.of("level", "LEVEL", "Level", "Severity", "severity", "SEVERITY", "lvl", "LVL", "Lvl");

  private static final long MIB = 1L << 20;

  public LimitsConfig {
    discoverServiceName = List.copyOf(discoverServiceName);
    logLevelFields = List.copyOf(logLevelFields);
    enforcedLabels = List.copyOf(enforcedLabels);
  }

  /** Loki 3.4.6's defaults. */
  public static LimitsConfig defaults() {
    return new LimitsConfig(
        4, 6, 1024, 2048, 15, true, Duration.ofHours(168), Duration.ofMinutes(10), 256 * 1024, false, false,
        DEFAULT_SERVICE_NAME_LABELS, true, DEFAULT_LOG_LEVEL_FIELDS, true, 64 * 1024, 128, OtlpConfig.defaults(),
        3 * MIB, 15 * MIB, 0, 5000, true, null, 260, List.of(),
        5000, 500, Duration.ofHours(721), Duration.ofMinutes(1), Duration.ZERO, 10, 0, true, 1000);
  }

  /** Tenant ingestion rate in bytes per second. */
  public long ingestionRateBytes() {
    return (long) (ingestionRateMb * MIB);
  }

  /** Tenant ingestion burst in bytes. */
  public long ingestionBurstBytes() {
    return (long) (ingestionBurstSizeMb * MIB);
  }
}
