package io.lodge.config;

import java.util.Map;
import java.util.Set;

/**
 * The keys Loki's configuration file has that Lodge accepts without using them, so a user's Loki file
 * loads with a warning per key instead of failing. Taken from Loki's configuration reference
 * ({@code docs/sources/shared/configuration.md}, 3.x releases), organised per block.
 *
 * <p>Two kinds of entries: {@link #IGNORED_TOP_LEVEL} are whole blocks Lodge has no counterpart for; their
 * contents are not checked key by key (one warning per block). {@link #BLOCK_KEYS} lists every Loki key of
 * the blocks Lodge reads partly ({@code server}, {@code common}, {@code ingester}, {@code ingester.wal},
 * {@code querier}, {@code limits_config}); a key there that Lodge does not use gets its own warning, and a
 * key in neither place is a typo and fails the load.
 */
final class LokiKeys {
  private LokiKeys() {}

  /** Top-level Loki blocks and settings with no Lodge counterpart. */
  static final Set<String> IGNORED_TOP_LEVEL = Set.of(
      "ballast_bytes", "ui", "query_engine", "query_scheduler", "frontend", "query_range",
      "ruler", "ruler_storage", "ingester_client", "ingester_rf1", "pattern_ingester", "index_gateway",
      "bloom_build", "bloom_gateway", "bloom_compactor", "storage_config", "chunk_store_config",
      "schema_config", "compactor", "compactor_grpc_client", "compactor_http_client", "frontend_worker",
      "table_manager", "memberlist", "kafka_config", "dataobj", "rate_service", "rate_service_client",
      "ingest_limits", "ingest_limits_frontend", "ingest_limits_frontend_client", "block_builder",
      "block_scheduler", "partition_ring", "metastore", "metastore_client", "runtime_config",
      "operational_config", "tracing", "analytics", "profiling", "tenant_limits_allow_publish",
      "shutdown_delay", "metrics_namespace", "legacy_read_target", "use_buffered_logger",
      "use_syncmap_logger");

  /** Every Loki key of the blocks Lodge reads partly (Lodge's own keys are added by {@link ConfigSchema}). */
  static final Map<String, Set<String>> BLOCK_KEYS = Map.of(
      "server", Set.of(
          "http_listen_network", "http_listen_address", "http_listen_port", "http_listen_conn_limit",
          "grpc_listen_network", "grpc_listen_address", "grpc_listen_port", "grpc_listen_conn_limit",
          "grpc_collect_max_streams_by_conn", "proxy_protocol_enabled", "tls_cipher_suites", "tls_min_version",
          "http_tls_config", "grpc_tls_config", "register_instrumentation",
          "report_grpc_codes_in_instrumentation_label_enabled", "graceful_shutdown_timeout",
          "http_server_read_timeout", "http_server_read_header_timeout", "http_server_write_timeout",
          "http_server_idle_timeout", "http_log_closed_connections_without_response_enabled",
          "grpc_server_max_recv_msg_size", "grpc_server_max_send_msg_size", "grpc_server_max_concurrent_streams",
          "grpc_server_max_connection_idle", "grpc_server_max_connection_age",
          "grpc_server_max_connection_age_grace", "grpc_server_keepalive_time", "grpc_server_keepalive_timeout",
          "grpc_server_min_time_between_pings", "grpc_server_ping_without_stream_allowed",
          "grpc_server_num_workers", "grpc_server_stats_tracking_enabled",
          "grpc_server_recv_buffer_pools_enabled", "grpc_server_read_buffer_size",
          "grpc_server_write_buffer_size", "log_format", "log_level", "log_source_ips_enabled",
          "log_source_ips_full", "log_source_ips_header", "log_source_ips_regex", "log_request_headers",
          "log_request_at_info_level_enabled", "log_request_exclude_headers_list", "trace_request_headers",
          "trace_request_exclude_headers_list", "http_path_prefix", "cluster_validation", "create_new_traces"),
      "common", Set.of(
          "path_prefix", "storage", "persist_tokens", "replication_factor", "ring", "instance_interface_names",
          "instance_addr", "compactor_address", "compactor_grpc_address"),
      "ingester", Set.of(
          "lifecycler", "concurrent_flushes", "flush_check_period", "flush_op_backoff", "flush_op_timeout",
          "chunk_retain_period", "chunk_idle_period", "chunk_block_size", "chunk_target_size", "chunk_encoding",
          "max_chunk_age", "autoforget_unhealthy", "sync_period", "sync_min_utilization",
          "max_returned_stream_errors", "query_store_max_look_back_period", "wal", "index_shards",
          "max_dropped_streams", "shutdown_marker_path", "owned_streams_check_interval",
          "delegate_stream_limits_enabled", "kafka_ingestion"),
      "ingester.wal", Set.of(
          "enabled", "dir", "checkpoint_duration", "flush_on_shutdown", "replay_memory_ceiling",
          "disk_full_threshold"),
      "querier", Set.of(
          "tail_max_duration", "extra_query_delay", "query_ingesters_within", "engine", "max_concurrent",
          "query_store_only", "query_ingester_only", "multi_tenant_queries_enabled", "per_request_limits_enabled",
          "query_partition_ingesters"),
      "limits_config", LimitsKeys.ALL,
      "distributor", Set.of(
          "ring", "push_worker_count", "rate_store", "write_failures_logging", "otlp_config", "tenant_topic",
          "kafka_writes_enabled", "ingester_writes_enabled", "ingest_limits_enabled", "ingest_limits_dry_run_enabled",
          "max_recv_msg_size", "max_decompressed_size", "data_object_writes_enabled", "default_policy_stream_mappings"),
      "distributor.otlp_config", Set.of("default_resource_attributes_as_index_labels"),
      "limits_config.otlp_config", Set.of("resource_attributes", "scope_attributes", "log_attributes",
          "severity_text_as_label"),
      "limits_config.otlp_config.resource_attributes", Set.of("ignore_defaults", "attributes_config"));

  /** Whether {@code key} inside {@code block} ("" = top level) is a Loki key. */
  static boolean isLokiKey(String block, String key) {
    if (block.isEmpty()) return IGNORED_TOP_LEVEL.contains(key) || BLOCK_KEYS.containsKey(key) || key.equals("target")
        || key.equals("auth_enabled");
    Set<String> keys = BLOCK_KEYS.get(block);
    return keys != null && keys.contains(key);
  }

  /** limits_config has too many keys to sit inline above. */
  private static final class LimitsKeys {
    static final Set<String> ALL = Set.of(
        // ingestion
        "ingestion_rate_strategy", "ingestion_rate_mb", "ingestion_burst_size_mb", "max_label_name_length",
        "max_label_value_length", "max_label_names_per_series", "reject_old_samples", "reject_old_samples_max_age",
        "creation_grace_period", "max_line_size", "max_line_size_truncate", "max_line_size_truncate_identifier",
        "increment_duplicate_timestamp", "simulated_push_latency", "enable_multi_variant_queries",
        "discover_generic_fields", "discover_service_name", "discover_log_levels", "log_level_fields",
        "log_level_from_json_max_depth", "use_owned_stream_count", "max_streams_per_user",
        "max_global_streams_per_user", "unordered_writes", "per_stream_rate_limit", "per_stream_rate_limit_burst",
        "allow_structured_metadata", "max_structured_metadata_size", "max_structured_metadata_entries_count",
        "otlp_config", "block_ingestion_policy_until", "block_ingestion_until", "block_ingestion_status_code",
        "enforced_labels", "policy_enforced_labels", "policy_stream_mapping", "ingestion_partitions_tenant_shard_size",
        "shard_streams", "limited_log_push_errors",
        // queries
        "max_chunks_per_query", "max_query_series", "max_query_lookback", "max_query_length", "max_query_range",
        "max_query_parallelism", "tsdb_max_query_parallelism", "tsdb_max_bytes_per_shard", "tsdb_sharding_strategy",
        "tsdb_precompute_chunks", "cardinality_limit", "max_streams_matchers_per_query",
        "max_concurrent_tail_requests", "max_entries_limit_per_query", "max_cache_freshness_per_query",
        "max_metadata_cache_freshness", "max_stats_cache_freshness", "max_queriers_per_tenant",
        "max_query_capacity", "query_ready_index_num_days", "query_timeout", "split_queries_by_interval",
        "split_metadata_queries_by_interval", "split_recent_metadata_queries_by_interval",
        "recent_metadata_query_window", "split_instant_metric_queries_by_interval",
        "engine_results_cache_time_bucket_interval", "split_ingester_queries_by_interval", "min_sharding_lookback",
        "max_query_bytes_read", "max_querier_bytes_read", "volume_enabled", "volume_max_series",
        "blocked_queries", "required_labels", "minimum_labels_number", "shard_aggregations",
        "max_scan_task_parallelism", "debug_engine_tasks", "debug_engine_streams",
        // ruler
        "ruler_max_rules_per_rule_group", "ruler_max_rule_groups_per_tenant", "ruler_tenant_shard_size",
        "ruler_enable_wal_replay", "ruler_remote_write_disabled", "ruler_remote_write_url",
        "ruler_remote_write_timeout", "ruler_remote_write_headers", "ruler_remote_write_relabel_configs",
        "ruler_remote_write_queue_capacity", "ruler_remote_write_queue_min_shards",
        "ruler_remote_write_queue_max_shards", "ruler_remote_write_queue_max_samples_per_send",
        "ruler_remote_write_queue_batch_send_deadline", "ruler_remote_write_queue_min_backoff",
        "ruler_remote_write_queue_max_backoff", "ruler_remote_write_queue_retry_on_ratelimit",
        "ruler_remote_write_sigv4_config", "ruler_remote_write_config", "ruler_remote_evaluation_timeout",
        "ruler_remote_evaluation_max_response_size",
        // retention and deletion
        "deletion_mode", "retention_period", "retention_stream", "per_tenant_override_config",
        "per_tenant_override_period", "allow_deletes",
        // index gateway, blooms, patterns, storage
        "index_gateway_shard_size", "index_gateway_max_capacity", "bloom_gateway_enable_filtering",
        "bloom_build_max_builders", "bloom_build_task_max_retries", "bloom_build_builder_response_timeout",
        "bloom_creation_enabled", "bloom_planning_strategy", "bloom_split_series_keyspace_by",
        "bloom_task_target_series_chunk_size", "bloom_block_encoding", "bloom_prefetch_blocks",
        "bloom_max_block_size", "bloom_max_bloom_size", "pattern_ingester_tokenizable_json_fields_default",
        "pattern_ingester_tokenizable_json_fields_append", "pattern_ingester_tokenizable_json_fields_delete",
        "metric_aggregation_enabled", "pattern_persistence_enabled", "pattern_persistence_granularity",
        "pattern_rate_threshold", "s3_sse_type", "s3_sse_kms_key_id", "s3_sse_kms_encryption_context");
  }
}
