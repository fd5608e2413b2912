package io.lodge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlConfigReaderTest {
  @TempDir Path dir;

  private LoadedConfig loadFile(String yaml) throws IOException {
    Path file = dir.resolve("loki.yaml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(new String[] {"-config.file=" + file}, name -> null, dir);
  }

  private String fileName() {
    return dir.resolve("loki.yaml").toString();
  }

  @Test
  void readsLodgeKeysOfEveryKind() throws IOException {
    LodgeConfig c = loadFile("""
        auth_enabled: true
        server:
          http_listen_address: 127.0.0.1
          http_listen_port: 3200
          grpc_listen_port: 9200
          http_server_max_request_body_size: 8MB
          log_format: json
        common:
          path_prefix: /var/lodge
        ingester:
          chunk_target_size: 1048576
          chunk_block_size: 128KB
          max_chunk_age: 1h30m
          chunk_idle_period: 1.5h
          wal:
            enabled: false
            dir: /wal
            sync: false
            segment_size: 64MB
        querier:
          multi_tenant_queries_enabled: true
        limits_config:
          ingestion_rate_mb: 8.5
          reject_old_samples_max_age: 7d
          max_line_size: 1.5MB
          discover_service_name: []
          discover_log_levels: false
          log_level_fields: [level, severity]
          block_ingestion_until: 2030-01-02T03:04:05Z
          max_global_streams_per_user: 10000
          per_stream_rate_limit: 3MB
          query_timeout: 5m
          max_query_length: 30d1h
        """).config();
    assertThat(c.authEnabled()).isTrue();
    assertThat(c.server().httpListenAddress()).isEqualTo("127.0.0.1");
    assertThat(c.server().httpListenPort()).isEqualTo(3200);
    assertThat(c.server().grpcListenPort()).isEqualTo(9200);
    assertThat(c.server().maxRequestBodySize()).isEqualTo(8L << 20);
    assertThat(c.server().logFormat()).isEqualTo("json");
    assertThat(c.pathPrefix()).isEqualTo(Path.of("/var/lodge"));
    assertThat(c.ingester().chunkTargetSize()).isEqualTo(1 << 20);
    assertThat(c.ingester().chunkBlockSize()).isEqualTo(128 * 1024);
    assertThat(c.ingester().maxChunkAge()).isEqualTo(Duration.ofMinutes(90));
    assertThat(c.ingester().chunkIdlePeriod()).isEqualTo(Duration.ofMinutes(90));
    assertThat(c.ingester().wal()).isEqualTo(new WalConfig(false, Path.of("/wal"), false, 64L << 20, 1L << 30, false, false));
    assertThat(c.walDir()).isEqualTo(Path.of("/wal"));
    assertThat(c.multiTenantQueriesEnabled()).isTrue();
    LimitsConfig l = c.limits();
    assertThat(l.ingestionRateMb()).isEqualTo(8.5);
    assertThat(l.rejectOldSamplesMaxAge()).isEqualTo(Duration.ofDays(7));
    assertThat(l.maxLineSize()).isEqualTo(1572864);
    assertThat(l.discoverServiceName()).isEmpty();
    assertThat(l.discoverLogLevels()).isFalse();
    assertThat(l.logLevelFields()).containsExactly("level", "severity");
    assertThat(l.blockIngestionUntil()).isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
    assertThat(l.maxGlobalStreamsPerUser()).isEqualTo(10000);
    assertThat(l.perStreamRateLimit()).isEqualTo(3L << 20);
    assertThat(l.queryTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(l.maxQueryLength()).isEqualTo(Duration.ofHours(721));
    // untouched keys keep their defaults
    assertThat(l.maxLabelNamesPerSeries()).isEqualTo(LimitsConfig.defaults().maxLabelNamesPerSeries());
  }

  @Test
  void emptyFileAndNullValuesKeepDefaults() throws IOException {
    assertThat(loadFile("").config()).isEqualTo(LodgeConfig.defaults());
    assertThat(loadFile("# only a comment\n").config()).isEqualTo(LodgeConfig.defaults());
    assertThat(loadFile("server:\nlimits_config:\n  max_line_size:\n").config()).isEqualTo(LodgeConfig.defaults());
  }

  @Test
  void unknownKeyNamesPathFileAndLine() throws IOException {
    String yaml = "auth_enabled: false\n".repeat(1) + "server:\n  http_listen_port: 3100\n" + "#\n".repeat(7)
        + "limits_config:\n  max_line_sizee: 1MB\n";
    assertThatThrownBy(() -> loadFile(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("config file " + fileName() + " line 12: unknown key 'limits_config.max_line_sizee'")
        .hasMessageContaining("did you mean 'max_line_size'?");
  }

  @Test
  void unknownTopLevelAndNestedKeysFail() {
    assertThatThrownBy(() -> loadFile("foo: 1\n"))
        .hasMessage("config file " + fileName() + " line 1: unknown key 'foo'");
    assertThatThrownBy(() -> loadFile("ingester:\n  wal:\n    dirr: /x\n"))
        .hasMessageStartingWith("config file " + fileName() + " line 3: unknown key 'ingester.wal.dirr'")
        .hasMessageContaining("did you mean 'dir'?");
  }

  @Test
  void wrongTypeNamesKeyLineAndExpectation() {
    assertThatThrownBy(() -> loadFile("server:\n  http_listen_port: abc\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config file " + fileName() + " line 2: key 'server.http_listen_port': expected an integer, got 'abc'");
    assertThatThrownBy(() -> loadFile("limits_config:\n  reject_old_samples: maybe\n"))
        .hasMessageContaining("line 2: key 'limits_config.reject_old_samples': expected a boolean");
    assertThatThrownBy(() -> loadFile("limits_config:\n  max_line_size: 12QB\n"))
        .hasMessageContaining("line 2: key 'limits_config.max_line_size': expected a size");
    assertThatThrownBy(() -> loadFile("limits_config:\n  query_timeout: 5\n"))
        .hasMessageContaining("line 2: key 'limits_config.query_timeout': expected a duration");
    assertThatThrownBy(() -> loadFile("limits_config:\n  discover_service_name: app\n"))
        .hasMessageContaining("line 2: key 'limits_config.discover_service_name': expected a list of strings");
    assertThatThrownBy(() -> loadFile("server:\n  http_listen_port:\n    x: 1\n"))
        .hasMessageContaining("line 2: key 'server.http_listen_port': expected an integer, got a mapping");
    assertThatThrownBy(() -> loadFile("server: 3100\n"))
        .hasMessageContaining("line 1: key 'server': expected a mapping of keys");
  }

  @Test
  void outOfRangeValuesFail() {
    assertThatThrownBy(() -> loadFile("server:\n  http_listen_port: 70000\n"))
        .hasMessage("config file " + fileName() + " line 2: key 'server.http_listen_port': port 70000 is out of range 0..65535");
    assertThatThrownBy(() -> loadFile("server:\n  log_level: verbose\n"))
        .hasMessageContaining("log level 'verbose' is not one of debug, info, warn, error");
    assertThatThrownBy(() -> loadFile("ingester:\n  concurrent_flushes: 0\n"))
        .hasMessage("config file " + fileName() + " line 2: key 'ingester.concurrent_flushes': concurrent flushes must be at least 1, got 0");
  }

  @Test
  void lineDictionaryKeysHaveDefaultsAndRanges() throws Exception {
    LineDictionaryConfig d = LodgeConfig.defaults().ingester().lineDictionaries();
    assertThat(d).isEqualTo(new LineDictionaryConfig(true, "service_name", 512 << 10, 2 << 20, 32, false));
    LineDictionaryConfig set = loadFile("""
        ingester:
          line_dictionaries:
            enabled: false
            group_label: app
            size_bytes: 64KB
            sample_bytes: 1MB
            max_dictionaries: 3
            trained: true
        """).config().ingester().lineDictionaries();
    assertThat(set).isEqualTo(new LineDictionaryConfig(false, "app", 64 << 10, 1 << 20, 3, true));
    assertThatThrownBy(() -> loadFile("ingester:\n  line_dictionaries:\n    size_bytes: 100\n"))
        .hasMessage("config file " + fileName() + " line 3: key 'ingester.line_dictionaries.size_bytes': "
            + "a line dictionary must be 1KiB to 8MiB, got 100 bytes");
    assertThatThrownBy(() -> loadFile("ingester:\n  line_dictionaries:\n    sample_bytes: 1GB\n"))
        .hasMessageContaining("a line dictionary sample must be 8KiB to 256MiB");
    assertThatThrownBy(() -> loadFile("ingester:\n  line_dictionaries:\n    group_label: \"\"\n"))
        .hasMessageContaining("the line dictionary group label must not be empty");
    assertThatThrownBy(() -> loadFile("ingester:\n  line_dictionaries:\n    max_dictionaries: -1\n"))
        .hasMessageContaining("max dictionaries must be at least 0, got -1");
  }

  @Test
  void concurrentFlushesIsLokisKeyWithLokisDefault() throws Exception {
    assertThat(LodgeConfig.defaults().ingester().concurrentFlushes()).isEqualTo(32);
    assertThat(loadFile("ingester:\n  concurrent_flushes: 4\n").config().ingester().concurrentFlushes()).isEqualTo(4);
  }

  @Test
  void knownButUnusedKeysWarnWithLine() throws IOException {
    LoadedConfig loaded = loadFile("""
        server:
          http_server_read_timeout: 1m
        schema_config:
          configs: []
        limits_config:
          retention_period: 744h
          max_line_size: 1MB
        """);
    assertThat(loaded.warnings()).containsExactly(
        "config file " + fileName() + " line 2: 'server.http_server_read_timeout' is a Loki setting Lodge does not use; ignored",
        "config file " + fileName() + " line 3: 'schema_config' is a Loki setting Lodge does not use; ignored",
        "config file " + fileName() + " line 6: 'limits_config.retention_period' is a Loki setting Lodge does not use; ignored");
    assertThat(loaded.config().limits().maxLineSize()).isEqualTo(1 << 20);
  }

  @Test
  void duplicateKeysAndBadYamlFail() {
    assertThatThrownBy(() -> loadFile("server:\n  http_listen_port: 1\n  http_listen_port: 2\n"))
        .hasMessageContaining("line 3: key 'server.http_listen_port' is set twice");
    assertThatThrownBy(() -> loadFile("server:\n  http_listen_port: [1\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("invalid YAML");
    assertThatThrownBy(() -> loadFile("- a\n- b\n")).hasMessageContaining("the top level must be a mapping");
  }

  @Test
  void targetMustBeAll() throws IOException {
    assertThat(loadFile("target: all\n").warnings()).isEmpty();
    assertThatThrownBy(() -> loadFile("target: read\n"))
        .hasMessageContaining("line 1: target 'read': Lodge runs all components in one process");
  }

  @Test
  void lokiLocalConfigLoadsWithWarnings() throws IOException {
    String yaml;
    try (InputStream in = getClass().getResourceAsStream("loki-local-config.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    LoadedConfig loaded = loadFile(yaml);
    LodgeConfig c = loaded.config();
    assertThat(c.authEnabled()).isFalse();
    assertThat(c.server().httpListenPort()).isEqualTo(3100);
    assertThat(c.server().grpcListenPort()).isEqualTo(9096);
    assertThat(c.server().logLevel()).isEqualTo("debug");
    assertThat(c.pathPrefix()).isEqualTo(Path.of("/tmp/loki"));
    assertThat(c.walDir()).isEqualTo(Path.of("/tmp/loki/wal"));
    List<String> warned = loaded.warnings().stream()
        .map(w -> w.substring(w.indexOf('\'') + 1, w.indexOf('\'', w.indexOf('\'') + 1)))
        .toList();
    assertThat(warned).containsExactly("server.grpc_server_max_concurrent_streams", "common.instance_addr",
        "common.storage", "common.replication_factor", "common.ring", "query_range",
        "limits_config.metric_aggregation_enabled", "schema_config", "pattern_ingester", "ruler", "frontend",
        "analytics");
    assertThat(loaded.warnings()).allMatch(w -> w.startsWith("config file " + fileName() + " line "));
  }

  @Test
  void yamlScalarFormsLokiAccepts() throws IOException {
    LodgeConfig c = loadFile("""
        auth_enabled: yes
        server:
          http_listen_port: "3300"
          http_listen_address: 10.0.0.1
        limits_config:
          reject_old_samples: off
          ingestion_rate_mb: 10
          max_line_size: 0
          discover_service_name:
            - svc
        """).config();
    assertThat(c.authEnabled()).isTrue();
    assertThat(c.server().httpListenPort()).isEqualTo(3300);
    assertThat(c.limits().rejectOldSamples()).isFalse();
    assertThat(c.limits().ingestionRateMb()).isEqualTo(10.0);
    assertThat(c.limits().maxLineSize()).isZero();
    assertThat(c.limits().discoverServiceName()).containsExactly("svc");
  }

  @Test
  void blockIngestionUntilTimeForms() throws IOException {
    String[][] cases = {
        {"2030-01-02T03:04:05Z", "2030-01-02T03:04:05Z"}, {"2030-01-02T03:04:05.5+02:00", "2030-01-02T01:04:05.5Z"},
        {"2030-01-02", "2030-01-02T00:00:00Z"}, {"2030-01-02T03:04", "2030-01-02T03:04:00Z"},
        {"2030-01-02T03:04:05", "2030-01-02T03:04:05Z"}};
    for (String[] c : cases) {
      assertThat(loadFile("limits_config:\n  block_ingestion_until: " + c[0] + "\n").config().limits().blockIngestionUntil())
          .as(c[0]).isEqualTo(Instant.parse(c[1]));
    }
    assertThat(loadFile("limits_config:\n  block_ingestion_until: 0\n").config().limits().blockIngestionUntil()).isNull();
    assertThatThrownBy(() -> loadFile("limits_config:\n  block_ingestion_until: tomorrow\n"))
        .hasMessageContaining("key 'limits_config.block_ingestion_until': expected an RFC3339 time");
  }

  @Test
  void secondYamlDocumentIsRejected() {
    assertThatThrownBy(() -> loadFile("auth_enabled: true\n---\nauth_enabled: false\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("invalid YAML");
  }
}
