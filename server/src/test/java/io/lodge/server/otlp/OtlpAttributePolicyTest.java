package io.lodge.server.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.config.DistributorConfig;
import io.lodge.config.OtlpAttributesRule;
import io.lodge.config.OtlpAttributesRule.Action;
import io.lodge.config.OtlpConfig;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.PushStream;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Loki's {@code otlp_config} rules applied by {@link OtlpLogsMapper}. */
class OtlpAttributePolicyTest {
  private static final List<String> DEFAULTS = DistributorConfig.DEFAULT_OTLP_INDEX_LABELS;

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  private static OtlpAttributesRule rule(Action action, String regex, String... attributes) {
    return new OtlpAttributesRule(action, List.of(attributes), regex);
  }

  private static OtlpConfig config(boolean ignoreDefaults, List<OtlpAttributesRule> resource,
      List<OtlpAttributesRule> scope, List<OtlpAttributesRule> log, boolean severityTextAsLabel) {
    return new OtlpConfig(new OtlpConfig.ResourceAttributes(ignoreDefaults, resource), scope, log, severityTextAsLabel);
  }

  private static List<PushStream> map(OtlpConfig config, List<String> defaults, ResourceLogs... resources) {
    OtlpLogsMapper mapper = new OtlpLogsMapper(OtlpAttributePolicy.of(config, defaults), List.of("service", "app"), () -> 1);
    OtlpLogsMapper.Result r = mapper.map(ExportLogsServiceRequest.newBuilder().addAllResourceLogs(List.of(resources)).build());
    assertThat(r.errors()).isEmpty();
    return r.request().streams();
  }

  private static ResourceLogs resource(List<KeyValue> resourceAttrs, List<KeyValue> scopeAttrs, LogRecord... records) {
    return ResourceLogs.newBuilder().setResource(Resource.newBuilder().addAllAttributes(resourceAttrs))
        .addScopeLogs(ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder().addAllAttributes(scopeAttrs))
            .addAllLogRecords(List.of(records)))
        .build();
  }

  private static LogRecord record(long ts, String severityText, KeyValue... attrs) {
    return LogRecord.newBuilder().setTimeUnixNano(ts).setSeverityText(severityText)
        .setBody(AnyValue.newBuilder().setStringValue("line " + ts)).addAllAttributes(List.of(attrs)).build();
  }

  private static Map<String, String> metadata(PushStream s, int entry) {
    return s.entries().get(entry).metadata().stream().collect(Collectors.toMap(Label::name, Label::value));
  }

  @Test
  void resourceRulesAddIndexLabelsDemoteNothingFromTheDefaultsAndDrop() {
    OtlpConfig c = config(false, List.of(
        rule(Action.INDEX_LABEL, null, "host.name"),
        rule(Action.STRUCTURED_METADATA, null, "k8s.pod.name"), // the default rule comes first, so it stays a label
        rule(Action.DROP, "process\\..*")), List.of(), List.of(), false);
    List<PushStream> streams = map(c, DEFAULTS, resource(
        List.of(kv("service.name", "api"), kv("host.name", "h1"), kv("k8s.pod.name", "p1"),
            kv("process.pid", "42"), kv("process.command_line", "java"), kv("os.type", "linux"), kv("xprocess.x", "kept")),
        List.of(), record(5, "")));
    assertThat(streams).hasSize(1);
    assertThat(streams.get(0).labels()).isEqualTo(LabelSet.of("service_name", "api", "host_name", "h1", "k8s_pod_name", "p1"));
    assertThat(metadata(streams.get(0), 0))
        .as("the regex is anchored: xprocess.x is not dropped; unnamed attributes are metadata")
        .containsEntry("os_type", "linux").containsEntry("xprocess_x", "kept")
        .doesNotContainKeys("process_pid", "process_command_line", "host_name", "k8s_pod_name");
  }

  @Test
  void ignoreDefaultsLeavesOnlyTheConfiguredRules() {
    OtlpConfig c = config(true, List.of(rule(Action.INDEX_LABEL, null, "k8s.namespace.name"),
        rule(Action.DROP, null, "k8s.pod.name")), List.of(), List.of(), false);
    List<PushStream> streams = map(c, DEFAULTS, resource(
        List.of(kv("service.name", "api"), kv("k8s.namespace.name", "prod"), kv("k8s.pod.name", "p1")),
        List.of(), record(5, "")));
    // service.name is present, so no discovery; it is metadata now, not a label
    assertThat(streams.get(0).labels()).isEqualTo(LabelSet.of("k8s_namespace_name", "prod"));
    assertThat(metadata(streams.get(0), 0)).containsEntry("service_name", "api").doesNotContainKey("k8s_pod_name");
  }

  @Test
  void distributorDefaultListReplacesLokisList() {
    List<PushStream> streams = map(OtlpConfig.defaults(), List.of("team"), resource(
        List.of(kv("team", "core"), kv("service.name", "api")), List.of(), record(5, "")));
    // service.name is present (so nothing is discovered) but no longer an index label
    assertThat(streams.get(0).labels()).isEqualTo(LabelSet.of("team", "core"));
    assertThat(metadata(streams.get(0), 0)).containsEntry("service_name", "api");
  }

  @Test
  void scopeAttributesCanBeDropped() {
    OtlpConfig c = config(false, List.of(), List.of(rule(Action.DROP, "internal\\..*")), List.of(), false);
    List<PushStream> streams = map(c, DEFAULTS, resource(List.of(kv("service.name", "api")),
        List.of(kv("internal.id", "1"), kv("lib", "x")), record(5, "")));
    assertThat(metadata(streams.get(0), 0)).containsEntry("lib", "x").doesNotContainKey("internal_id");
  }

  @Test
  void logAttributesAsLabelsSplitStreamsPerValueAndSeverityTextCanBeALabel() {
    OtlpConfig c = config(false, List.of(), List.of(),
        List.of(rule(Action.INDEX_LABEL, null, "tenant.id"), rule(Action.DROP, null, "password")), true);
    List<PushStream> streams = map(c, DEFAULTS, resource(List.of(kv("service.name", "api")), List.of(),
        record(1, "INFO", kv("tenant.id", "a"), kv("password", "x"), kv("user", "u1")),
        record(2, "ERROR", kv("tenant.id", "b")),
        record(3, "INFO", kv("tenant.id", "a")),
        record(4, "")));
    assertThat(streams).extracting(PushStream::labels).containsExactly(
        LabelSet.of("service_name", "api", "tenant_id", "a", "severity_text", "INFO"),
        LabelSet.of("service_name", "api", "tenant_id", "b", "severity_text", "ERROR"),
        LabelSet.of("service_name", "api"));
    assertThat(streams.get(0).entries()).extracting(e -> e.timestampNanos()).containsExactly(1L, 3L);
    assertThat(metadata(streams.get(0), 0)).containsEntry("user", "u1")
        .doesNotContainKeys("password", "tenant_id", "severity_text");
    assertThat(streams.get(2).entries()).hasSize(1);
  }

  @Test
  void withoutRulesSeverityTextStaysMetadata() {
    List<PushStream> streams = map(OtlpConfig.defaults(), DEFAULTS, resource(List.of(kv("service.name", "api")), List.of(),
        record(1, "WARN", kv("tenant.id", "a"))));
    assertThat(streams.get(0).labels()).isEqualTo(LabelSet.of("service_name", "api"));
    assertThat(metadata(streams.get(0), 0)).containsEntry("severity_text", "WARN").containsEntry("tenant_id", "a");
  }
}
