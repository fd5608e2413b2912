package io.lodge.server.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushStream;
import io.lodge.ingester.push.PushDecodeException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpLogsMapperTest {
  private static final List<String> DISCOVERY = List.of("service", "app", "application", "app_name", "name",
      "app_kubernetes_io_name", "container", "container_name", "k8s_container_name", "component", "workload", "job",
      "k8s_job_name");
  private static final long NOW = 1_700_000_000_000_000_000L;
  private final OtlpLogsMapper mapper = new OtlpLogsMapper(OtlpAttributePolicy.defaults(), DISCOVERY, () -> NOW);

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  private static ResourceLogs resource(List<KeyValue> attrs, LogRecord... records) {
    return ResourceLogs.newBuilder().setResource(Resource.newBuilder().addAllAttributes(attrs))
        .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(List.of(records))).build();
  }

  private static LogRecord line(long ts, String body) {
    return LogRecord.newBuilder().setTimeUnixNano(ts).setBody(AnyValue.newBuilder().setStringValue(body)).build();
  }

  private List<PushStream> map(ResourceLogs... resources) {
    OtlpLogsMapper.Result r = mapper.map(ExportLogsServiceRequest.newBuilder().addAllResourceLogs(List.of(resources)).build());
    assertThat(r.errors()).isEmpty();
    return r.request().streams();
  }

  @Test
  void serviceNameFallsBackToTheFirstDiscoverableIndexLabelInRequestOrder() {
    assertThat(map(resource(List.of(kv("k8s.pod.name", "p"), kv("k8s.container.name", "c1"), kv("container.name", "c2")),
        line(1, "x"))).get(0).labels())
        .isEqualTo(LabelSet.of("k8s_pod_name", "p", "k8s_container_name", "c1", "container_name", "c2", "service_name", "c1"));
    assertThat(map(resource(List.of(kv("service.name", ""), kv("container.name", "c2"), kv("k8s.container.name", "c1")),
        line(1, "x"))).get(0).labels().get("service_name")).isEqualTo("c2");
    // Loki stores each index attribute as it comes, so an empty service.name after the discovered one
    // overwrites it, and the empty label is then dropped
    assertThat(map(resource(List.of(kv("container.name", "c2"), kv("service.name", "")),
        line(1, "x"))).get(0).labels()).isEqualTo(LabelSet.of("container_name", "c2"));
    assertThat(map(resource(List.of(kv("host.name", "h")), line(1, "x"))).get(0).labels())
        .as("no index label: unknown_service; other resource attributes are metadata")
        .isEqualTo(LabelSet.of("service_name", "unknown_service"));
    OtlpLogsMapper noDiscovery = new OtlpLogsMapper(OtlpAttributePolicy.defaults(), List.of(), () -> NOW);
    assertThat(noDiscovery.map(ExportLogsServiceRequest.newBuilder().addResourceLogs(resource(List.of(kv("k8s.pod.name", "")),
        line(1, "x"))).build()).request().streams().get(0).labels()).isEqualTo(LabelSet.EMPTY);
  }

  @Test
  void metadataOrderNamesAndRecordFields() {
    AnyValue nested = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
        .addValues(kv("method", "GET"))
        .addValues(KeyValue.newBuilder().setKey("req").setValue(AnyValue.newBuilder().setKvlistValue(
            KeyValueList.newBuilder().addValues(KeyValue.newBuilder().setKey("id").setValue(AnyValue.newBuilder().setIntValue(1))))))).build();
    LogRecord r = LogRecord.newBuilder()
        .setTimeUnixNano(10).setObservedTimeUnixNano(11)
        .setSeverityNumberValue(17).setSeverityText("ERR").setDroppedAttributesCount(2).setFlags(1)
        .setTraceId(ByteString.copyFrom(new byte[16])) // all zero: omitted
        .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 10}))
        .addAttributes(KeyValue.newBuilder().setKey("http").setValue(nested))
        .addAttributes(kv("1st.key", "a")).addAttributes(kv("_x", "b"))
        .setBody(AnyValue.newBuilder().setBoolValue(false))
        .build();
    ResourceLogs rl = ResourceLogs.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", "s")).addAttributes(kv("host.name", "h")))
        .addScopeLogs(ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder().setName("sc").setVersion("v")
            .setDroppedAttributesCount(5).addAttributes(kv("scope.attr", "y"))).addLogRecords(r))
        .build();
    List<PushStream> streams = map(rl);
    assertThat(streams).hasSize(1);
    assertThat(streams.get(0).entries()).containsExactly(new LogEntry(10, "false".getBytes(), List.of(
        new Label("http_method", "GET"), new Label("http_req_id", "1"), new Label("key_1st_key", "a"), new Label("key_x", "b"),
        new Label("observed_timestamp", "11"), new Label("severity_number", "17"), new Label("severity_text", "ERR"),
        new Label("dropped_attributes_count", "2"), new Label("flags", "1"), new Label("span_id", "000000000000000a"),
        new Label("host_name", "h"),
        new Label("scope_attr", "y"), new Label("scope_name", "sc"), new Label("scope_version", "v"),
        new Label("scope_dropped_attributes_count", "5"))));
  }

  @Test
  void timestampFallsBackToObservedThenNow() {
    LogRecord observedOnly = LogRecord.newBuilder().setObservedTimeUnixNano(7).build();
    LogRecord none = LogRecord.newBuilder().build();
    List<LogEntry> entries = map(resource(List.of(kv("service.name", "s")), observedOnly, none)).get(0).entries();
    assertThat(entries).containsExactly(new LogEntry(7, new byte[0], List.of()), new LogEntry(NOW, new byte[0], List.of()));
  }

  @Test
  void resourcesWithTheSameLabelsShareAStreamInFirstSeenOrder() {
    List<PushStream> streams = map(
        resource(List.of(kv("service.name", "b")), line(1, "b1")),
        resource(List.of(kv("service.name", "a"), kv("host.name", "h1")), line(2, "a1")),
        resource(List.of(kv("host.name", "h2"), kv("service.name", "b")), line(3, "b2")),
        resource(List.of(kv("service.name", "c"))));
    assertThat(streams).extracting(s -> s.labels().get("service_name")).containsExactly("b", "a");
    assertThat(streams.get(0).entries()).extracting(LogEntry::lineString).containsExactly("b1", "b2");
    assertThat(OtlpLogsMapper.recordCount(ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(resource(List.of(kv("service.name", "c")))).build())).isZero();
  }

  @Test
  void badIdsAndLabelNamesAreReported() {
    LogRecord badTrace = LogRecord.newBuilder().setTraceId(ByteString.copyFrom(new byte[3])).build();
    assertThatThrownBy(() -> map(resource(List.of(), badTrace))).isInstanceOf(PushDecodeException.class)
        .hasMessage("invalid length for ID");
    AnyValue odd = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(kv("ü", "x"))).build();
    OtlpLogsMapper.Result r = mapper.map(ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(resource(List.of(KeyValue.newBuilder().setKey("service.name").setValue(odd).build()), line(1, "dropped")))
        .addResourceLogs(resource(List.of(kv("service.name", "kept")), line(2, "kept")))
        .build());
    assertThat(r.errors()).containsExactly("invalid labels: \"service_name_ü\" is not a valid label name");
    assertThat(r.request().streams()).singleElement().extracting(s -> s.labels().get("service_name")).isEqualTo("kept");
  }
}
