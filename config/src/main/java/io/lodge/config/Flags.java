package io.lodge.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loki's command-line flags, parsed the way Go's {@code flag} package does: {@code -name=value},
 * {@code -name value}, {@code --name=value}; a boolean is set by {@code -name} alone or
 * {@code -name=false} (never {@code -name false}). Each config flag names the YAML key it sets, so a flag
 * and the file go through the same parsing and checks; flags win over the file.
 */
final class Flags {
  /** Why {@code -target} accepts only {@code all}. */
  static final String TARGET_MESSAGE =
      "Lodge runs all components in one process; only target 'all' is supported";

  /** What a flag does beyond setting a config key. */
  enum Special { NONE, CONFIG_FILE, EXPAND_ENV, PRINT_CONFIG, LOG_CONFIG_REVERSE, TARGET, HELP }

  /** One flag: its name (without dashes), the key it sets (null for special flags), its help line. */
  record Spec(String name, ConfigKey key, Special special, ValueKind kind, String help) {}

  /** A config flag as given on the command line: the spec and its raw value (last one wins). */
  record Setting(Spec spec, String value) {}

  /** The parsed command line. {@code configFiles} is null when {@code -config.file} was not given. */
  record Parsed(String configFiles, boolean expandEnv, boolean printConfigStderr, List<Setting> settings) {}

  private static final Map<String, Spec> SPECS = buildSpecs();

  private Flags() {}

  /**
   * Parses {@code args}.
   *
   * @throws HelpRequestedException for {@code -h}, {@code -help}, {@code --help}
   * @throws ConfigException for an unknown flag, a missing or malformed value, a positional argument
   */
  static Parsed parse(String[] args) {
    String configFiles = null;
    boolean expandEnv = false;
    boolean printConfig = false;
    Map<String, Setting> settings = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--")) {
        if (i + 1 < args.length) throw new ConfigException("unexpected argument '" + args[i + 1] + "'");
        break;
      }
      if (!arg.startsWith("-") || arg.equals("-")) throw new ConfigException("unexpected argument '" + arg + "' (flags start with -)");
      String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
      if (body.isEmpty() || body.startsWith("-") || body.startsWith("=")) throw new ConfigException("bad flag syntax: " + arg);
      int eq = body.indexOf('=');
      String name = eq < 0 ? body : body.substring(0, eq);
      String value = eq < 0 ? null : body.substring(eq + 1);
      Spec spec = SPECS.get(name);
      if (spec == null) throw new ConfigException("flag provided but not defined: -" + name);
      if (value == null) {
        if (spec.kind() == ValueKind.BOOL) {
          value = "true";
        } else if (i + 1 < args.length) {
          value = args[++i];
        } else {
          throw new ConfigException("flag needs an argument: -" + name);
        }
      }
      Object parsed;
      try {
        parsed = spec.kind().parse(value);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("invalid value \"" + value + "\" for flag -" + name + ": " + e.getMessage());
      }
      switch (spec.special()) {
        case CONFIG_FILE -> configFiles = value;
        case EXPAND_ENV -> expandEnv = (Boolean) parsed;
        case PRINT_CONFIG, LOG_CONFIG_REVERSE -> printConfig |= (Boolean) parsed;
        case TARGET -> {
          if (!value.trim().equals("all")) {
            throw new ConfigException("invalid value \"" + value + "\" for flag -target: " + TARGET_MESSAGE);
          }
        }
        case HELP -> throw new HelpRequestedException(usage());
        case NONE -> {
          String invalid = ConfigSchema.validate(spec.key(), parsed);
          if (invalid != null) throw new ConfigException("invalid value \"" + value + "\" for flag -" + name + ": " + invalid);
          settings.remove(name); // keep command-line order of the last occurrence
          settings.put(name, new Setting(spec, value));
        }
      }
    }
    return new Parsed(configFiles, expandEnv, printConfig, List.copyOf(settings.values()));
  }

  /** Applies the config flags of {@code parsed} over {@code config}. */
  static LodgeConfig apply(Parsed parsed, LodgeConfig config) {
    LodgeConfig out = config;
    for (Setting s : parsed.settings()) {
      ConfigKey key = s.spec().key();
      out = key.with(out, ConfigSchema.normalize(key, key.kind().parse(s.value())));
    }
    return out;
  }

  /** Go-style usage text listing every supported flag with its default. */
  static String usage() {
    LodgeConfig defaults = LodgeConfig.defaults();
    StringBuilder sb = new StringBuilder("Usage of lodge:\n");
    for (Spec s : SPECS.values()) {
      if (s.special() == Special.HELP) continue;
      sb.append("  -").append(s.name());
      if (s.kind() != ValueKind.BOOL) sb.append(' ').append(s.kind().typeName());
      sb.append("\n    \t").append(s.help());
      if (s.key() != null) {
        Object def = s.key().get(defaults);
        String text = s.key().kind().renderFlag(def);
        if (!text.isEmpty() && !(s.kind() == ValueKind.BOOL && text.equals("false"))) {
          boolean quoted = s.kind() == ValueKind.STRING || s.kind() == ValueKind.PATH;
          sb.append(" (default ").append(quoted ? "\"" + text + "\"" : text).append(')');
        }
      } else if (s.special() == Special.TARGET) {
        sb.append(" (default all)");
      }
      sb.append('\n');
    }
    sb.append("  -h, -help\n    \tPrint this help.\n");
    return sb.toString();
  }

  private static Map<String, Spec> buildSpecs() {
    Map<String, Spec> m = new LinkedHashMap<>();
    special(m, "config.file", Special.CONFIG_FILE, ValueKind.STRING,
        "Configuration file to load; a comma-separated list loads the first that exists.");
    special(m, "config.expand-env", Special.EXPAND_ENV, ValueKind.BOOL,
        "Expands ${VAR} and ${VAR:-default} in the config file from the environment.");
    special(m, "print-config-stderr", Special.PRINT_CONFIG, ValueKind.BOOL,
        "Dump the entire effective config to stderr.");
    special(m, "log-config-reverse-order", Special.LOG_CONFIG_REVERSE, ValueKind.BOOL,
        "Dump the entire effective config at startup (Lodge prints it like -print-config-stderr).");
    special(m, "target", Special.TARGET, ValueKind.STRING,
        "Components to run; Lodge runs all of them in one process, so only 'all' is accepted.");
    key(m, "auth.enabled", "auth_enabled", "Require the X-Scope-OrgID header; if false the tenant is 'fake'.");
    key(m, "server.http-listen-address", "server.http_listen_address", "HTTP server listen address.");
    key(m, "server.http-listen-port", "server.http_listen_port", "HTTP server listen port.");
    key(m, "server.grpc-listen-address", "server.grpc_listen_address", "gRPC server listen address.");
    key(m, "server.grpc-listen-port", "server.grpc_listen_port", "gRPC server listen port.");
    key(m, "server.grpc-max-recv-msg-size-bytes", "server.grpc_server_max_recv_msg_size",
        "Limit on the size of a gRPC message this server can receive (bytes).");
    key(m, "server.http-max-request-body-size", "server.http_server_max_request_body_size",
        "Lodge: largest accepted HTTP request body after decompression; larger bodies get 413.");
    key(m, "log.level", "server.log_level", "Only log messages with the given severity or above (debug, info, warn, error).");
    key(m, "log.format", "server.log_format", "Output log messages in the given format (logfmt, json).");
    key(m, "common.path-prefix", "common.path_prefix", "Directory under which Lodge keeps its data.");
    key(m, "ingester.chunk-target-size", "ingester.chunk_target_size", "Target compressed size of a chunk in bytes.");
    key(m, "ingester.chunks-block-size", "ingester.chunk_block_size", "Target uncompressed size of a chunk block in bytes.");
    key(m, "ingester.max-chunk-age", "ingester.max_chunk_age", "Maximum time a chunk stays open.");
    key(m, "ingester.chunks-idle-period", "ingester.chunk_idle_period", "Flush a chunk after this long without appends.");
    key(m, "ingester.concurrent-flushes", "ingester.concurrent_flushes", "How many chunks are written to storage at once.");
    key(m, "ingester.flush-check-period", "ingester.flush_check_period", "How often to look for chunks to flush.");
    key(m, "ingester.chunks-retain-period", "ingester.chunk_retain_period", "How long flushed chunks stay in memory.");
    key(m, "ingester.line-dictionaries.enabled", "ingester.line_dictionaries.enabled",
        "Lodge: compress block lines with zstd dictionaries trained per group of streams.");
    key(m, "ingester.line-dictionaries.group-label", "ingester.line_dictionaries.group_label",
        "Lodge: the stream label whose value groups streams under one dictionary.");
    key(m, "ingester.line-dictionaries.size-bytes", "ingester.line_dictionaries.size_bytes",
        "Lodge: largest size of one line dictionary.");
    key(m, "ingester.line-dictionaries.sample-bytes", "ingester.line_dictionaries.sample_bytes",
        "Lodge: line bytes sampled from a group's blocks to train its dictionary (with trained).");
    key(m, "ingester.line-dictionaries.max-dictionaries", "ingester.line_dictionaries.max_dictionaries",
        "Lodge: most groups that get a line dictionary.");
    key(m, "ingester.line-dictionaries.trained", "ingester.line_dictionaries.trained",
        "Lodge: train line dictionaries with zstd instead of using sampled lines as they are.");
    key(m, "ingester.wal-enabled", "ingester.wal.enabled", "Write ingested data to the WAL.");
    key(m, "ingester.wal-dir", "ingester.wal.dir", "WAL directory (default <path_prefix>/wal).");
    key(m, "ingester.flush-on-shutdown", "ingester.wal.flush_on_shutdown", "Flush all chunks to storage on shutdown.");
    key(m, "ingester.wal-sync", "ingester.wal.sync", "Lodge: fsync the WAL before a push is acknowledged.");
    key(m, "ingester.wal-segment-size", "ingester.wal.segment_size", "Lodge: size of one WAL segment file.");
    key(m, "ingester.wal-max-size", "ingester.wal.max_size", "Lodge: total WAL size before streams are flushed early.");
    key(m, "ingester.wal-skip-corrupt-records", "ingester.wal.skip_corrupt_records",
        "Lodge: replay past a corrupt WAL record instead of refusing to start.");
    key(m, "querier.multi-tenant-queries-enabled", "querier.multi_tenant_queries_enabled",
        "Allow queries to span several tenants (X-Scope-OrgID a|b).");
    limits(m);
    m.put("help", new Spec("help", null, Special.HELP, ValueKind.BOOL, "Print this help."));
    m.put("h", new Spec("h", null, Special.HELP, ValueKind.BOOL, "Print this help."));
    return m;
  }

  /** Loki's flag names for the limits_config keys Lodge uses. */
  private static void limits(Map<String, Spec> m) {
    String[][] table = {
        {"distributor.ingestion-rate-limit-mb", "ingestion_rate_mb", "Per-tenant ingestion rate limit in MB/s."},
        {"distributor.ingestion-burst-size-mb", "ingestion_burst_size_mb", "Per-tenant ingestion burst size in MB."},
        {"validation.max-length-label-name", "max_label_name_length", "Maximum length accepted for label names."},
        {"validation.max-length-label-value", "max_label_value_length", "Maximum length accepted for label values."},
        {"validation.max-label-names-per-series", "max_label_names_per_series", "Maximum number of label names per stream."},
        {"validation.reject-old-samples", "reject_old_samples", "Reject entries older than the maximum age."},
        {"validation.reject-old-samples.max-age", "reject_old_samples_max_age", "Maximum accepted entry age."},
        {"validation.create-grace-period", "creation_grace_period", "How far in the future an entry may be."},
        {"distributor.max-line-size", "max_line_size", "Maximum line size; 0 is unlimited."},
        {"distributor.max-line-size-truncate", "max_line_size_truncate", "Truncate over-long lines instead of rejecting them."},
        {"validation.increment-duplicate-timestamps", "increment_duplicate_timestamp",
            "Add 1ns to an entry whose timestamp equals the previous one of its stream."},
        {"validation.discover-service-name", "discover_service_name",
            "Labels from which to derive service_name, comma-separated; empty disables."},
        {"validation.discover-log-levels", "discover_log_levels", "Add detected_level structured metadata."},
        {"validation.log-level-fields", "log_level_fields", "Fields holding the log level, comma-separated."},
        {"validation.allow-structured-metadata", "allow_structured_metadata", "Accept structured metadata."},
        {"limits.max-structured-metadata-size", "max_structured_metadata_size", "Maximum structured metadata size per line."},
        {"limits.max-structured-metadata-entries-count", "max_structured_metadata_entries_count",
            "Maximum structured metadata entries per line."},
        {"ingester.per-stream-rate-limit", "per_stream_rate_limit", "Maximum bytes per second per stream."},
        {"ingester.per-stream-rate-limit-burst", "per_stream_rate_limit_burst", "Maximum burst bytes per stream."},
        {"ingester.max-streams-per-user", "max_streams_per_user", "Maximum active streams per tenant (local); 0 disables."},
        {"ingester.max-global-streams-per-user", "max_global_streams_per_user", "Maximum active streams per tenant; 0 disables."},
        {"ingester.unordered-writes", "unordered_writes", "Accept out-of-order writes."},
        {"limits.block-ingestion-until", "block_ingestion_until", "Block ingestion until this RFC3339 time."},
        {"limits.block-ingestion-status-code", "block_ingestion_status_code", "HTTP status while ingestion is blocked."},
        {"validation.enforced-labels", "enforced_labels", "Labels every stream must have, comma-separated."},
        {"validation.max-entries-limit", "max_entries_limit_per_query", "Maximum log entries returned by a query."},
        {"querier.max-query-series", "max_query_series", "Maximum unique series in a metric query result."},
        {"store.max-query-length", "max_query_length", "Maximum query time range; 0 disables."},
        {"querier.query-timeout", "query_timeout", "Query timeout."},
        {"querier.max-query-lookback", "max_query_lookback", "How far back queries may look; 0 is unlimited."},
        {"querier.max-concurrent-tail-requests", "max_concurrent_tail_requests", "Maximum concurrent tail requests."},
        {"frontend.max-query-bytes-read", "max_query_bytes_read", "Maximum bytes a query may read; 0 disables."},
        {"limits.volume-enabled", "volume_enabled", "Enable the volume endpoints."},
        {"limits.volume-max-series", "volume_max_series", "Maximum series in a volume response."},
    };
    for (String[] row : table) key(m, row[0], "limits_config." + row[1], row[2]);
  }

  private static void special(Map<String, Spec> m, String name, Special special, ValueKind kind, String help) {
    m.put(name, new Spec(name, null, special, kind, help));
  }

  private static void key(Map<String, Spec> m, String name, String path, String help) {
    ConfigKey key = ConfigSchema.lodge().key(path);
    if (key == null) throw new IllegalStateException("flag -" + name + " names unknown key " + path);
    m.put(name, new Spec(name, key, Special.NONE, key.kind(), help));
  }

  /** The supported flag names, for tests and docs. */
  static List<String> names() {
    return new ArrayList<>(SPECS.keySet());
  }
}
