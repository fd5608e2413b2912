package io.lodge.server.otlp;

import com.google.protobuf.ByteString;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.lodge.ingester.push.LabelsParser;
import io.lodge.ingester.push.PushDecodeException;
import io.lodge.ingester.push.ServiceNameDiscovery;
import io.lodge.ingester.validate.MetadataNormalizer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Loki's default OTLP mapping (LOKI-COMPAT 1.11): an {@code ExportLogsServiceRequest} becomes one push
 * stream per distinct set of index labels. Resource attributes named in {@link #INDEX_LABELS} become
 * stream labels (normalised names), every other resource, scope and log-record attribute becomes
 * structured metadata (map values flattened with {@code _}), plus the log record's and scope's own fields;
 * the line is the body rendered by {@link AnyValues}. Streams keep the order they first appear in.
 *
 * <p>A resource whose index labels do not form a valid label set is skipped and reported in
 * {@link Result#errors()}, like Loki, which skips it and keeps the rest of the request.
 */
final class OtlpLogsMapper {
  /** Loki's default {@code otlp_config} resource attributes stored as index labels. */
  static final Set<String> INDEX_LABELS = Set.of(
      "service.name", "service.namespace", "service.instance.id", "deployment.environment",
      "deployment.environment.name", "cloud.region", "cloud.availability_zone", "k8s.cluster.name",
      "k8s.namespace.name", "k8s.pod.name", "k8s.container.name", "container.name", "k8s.replicaset.name",
      "k8s.deployment.name", "k8s.statefulset.name", "k8s.daemonset.name", "k8s.cronjob.name", "k8s.job.name");
  private static final String SERVICE_NAME_ATTRIBUTE = "service.name";
  private static final HexFormat HEX = HexFormat.of();

  /** The mapped request and the resources that had to be skipped (with Loki's reason). */
  record Result(PushRequest request, List<String> errors) {}

  private final List<String> discovery;
  private final LongSupplier nowNanos;

  /** {@code discovery}: {@code LimitsConfig.discoverServiceName()} (empty turns discovery off). */
  OtlpLogsMapper(List<String> discovery, LongSupplier nowNanos) {
    this.discovery = List.copyOf(discovery);
    this.nowNanos = nowNanos;
  }

  Result map(ExportLogsServiceRequest request) {
    Map<LabelSet, List<LogEntry>> streams = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    for (ResourceLogs rl : request.getResourceLogsList()) {
      if (recordCount(rl) == 0) continue;
      List<KeyValue> resourceAttrs = rl.getResource().getAttributesList();
      LabelSet labels;
      try {
        labels = streamLabels(resourceAttrs);
      } catch (InvalidLabelException e) {
        errors.add("invalid labels: " + e.getMessage());
        continue;
      }
      List<Label> resourceMetadata = new ArrayList<>();
      for (KeyValue kv : resourceAttrs) {
        if (!INDEX_LABELS.contains(kv.getKey())) flatten(kv.getKey(), kv.getValue(), "", resourceMetadata);
      }
      List<LogEntry> entries = streams.computeIfAbsent(labels, k -> new ArrayList<>());
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        List<Label> scopeMetadata = scopeMetadata(sl.getScope());
        for (LogRecord r : sl.getLogRecordsList()) entries.add(entry(r, resourceMetadata, scopeMetadata));
      }
    }
    List<PushStream> out = new ArrayList<>(streams.size());
    streams.forEach((labels, entries) -> out.add(new PushStream(labels, entries)));
    return new Result(new PushRequest(out), List.copyOf(errors));
  }

  /** Log records in the whole request: none at all is Loki's "empty push" (422). */
  static int recordCount(ExportLogsServiceRequest request) {
    int n = 0;
    for (ResourceLogs rl : request.getResourceLogsList()) n += recordCount(rl);
    return n;
  }

  private static int recordCount(ResourceLogs rl) {
    int n = 0;
    for (ScopeLogs sl : rl.getScopeLogsList()) n += sl.getLogRecordsCount();
    return n;
  }

  /**
   * Index labels of one resource, in attribute order (a later attribute wins a name clash), with
   * service_name copied from the first index label in the discovery list when service.name is absent or
   * empty, else {@code unknown_service}; empty values are dropped, as parsing Loki's label string does.
   */
  private LabelSet streamLabels(List<KeyValue> attrs) {
    boolean discover = !discovery.isEmpty();
    boolean hasServiceName = false;
    for (KeyValue kv : attrs) {
      if (kv.getKey().equals(SERVICE_NAME_ATTRIBUTE) && !AnyValues.asString(kv.getValue()).isEmpty()) {
        hasServiceName = true;
      }
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (KeyValue kv : attrs) {
      if (!INDEX_LABELS.contains(kv.getKey())) continue;
      List<Label> flat = new ArrayList<>(1);
      flatten(kv.getKey(), kv.getValue(), "", flat);
      for (Label l : flat) {
        labels.put(l.name(), l.value());
        if (!hasServiceName && discover && discovery.contains(l.name())) {
          labels.put(ServiceNameDiscovery.SERVICE_NAME, l.value());
          hasServiceName = true;
        }
      }
    }
    if (!hasServiceName && discover) labels.put(ServiceNameDiscovery.SERVICE_NAME, ServiceNameDiscovery.UNKNOWN_SERVICE);
    for (String name : labels.keySet()) {
      if (!LabelsParser.isLabelName(name)) throw new InvalidLabelException("\"" + name + "\" is not a valid label name");
    }
    return LabelSet.of(labels).withoutEmptyValues();
  }

  private static List<Label> scopeMetadata(InstrumentationScope scope) {
    List<Label> md = new ArrayList<>(scope.getAttributesCount() + 3);
    for (KeyValue kv : scope.getAttributesList()) flatten(kv.getKey(), kv.getValue(), "", md);
    if (!scope.getName().isEmpty()) md.add(new Label("scope_name", scope.getName()));
    if (!scope.getVersion().isEmpty()) md.add(new Label("scope_version", scope.getVersion()));
    if (scope.getDroppedAttributesCount() != 0) {
      md.add(new Label("scope_dropped_attributes_count", Integer.toUnsignedString(scope.getDroppedAttributesCount())));
    }
    return md;
  }

  private LogEntry entry(LogRecord r, List<Label> resourceMetadata, List<Label> scopeMetadata) {
    List<Label> md = new ArrayList<>(r.getAttributesCount() + 8 + resourceMetadata.size() + scopeMetadata.size());
    for (KeyValue kv : r.getAttributesList()) flatten(kv.getKey(), kv.getValue(), "", md);
    // with no time_unix_nano the observed time is the entry's timestamp, so it is not repeated
    if (r.getTimeUnixNano() != 0 && r.getObservedTimeUnixNano() != 0) {
      md.add(new Label("observed_timestamp", Long.toString(r.getObservedTimeUnixNano())));
    }
    if (r.getSeverityNumberValue() != 0) md.add(new Label("severity_number", Integer.toString(r.getSeverityNumberValue())));
    if (!r.getSeverityText().isEmpty()) md.add(new Label("severity_text", r.getSeverityText()));
    if (r.getDroppedAttributesCount() != 0) {
      md.add(new Label("dropped_attributes_count", Integer.toUnsignedString(r.getDroppedAttributesCount())));
    }
    if (r.getFlags() != 0) md.add(new Label("flags", Integer.toUnsignedString(r.getFlags())));
    checkIdLength(r.getTraceId(), 16);
    checkIdLength(r.getSpanId(), 8);
    if (!isZero(r.getTraceId())) md.add(new Label("trace_id", HEX.formatHex(r.getTraceId().toByteArray())));
    if (!isZero(r.getSpanId())) md.add(new Label("span_id", HEX.formatHex(r.getSpanId().toByteArray())));
    md.addAll(resourceMetadata);
    md.addAll(scopeMetadata);
    long ts = r.getTimeUnixNano() != 0 ? r.getTimeUnixNano()
        : r.getObservedTimeUnixNano() != 0 ? r.getObservedTimeUnixNano() : nowNanos.getAsLong();
    String line = r.hasBody() ? AnyValues.asString(r.getBody()) : "";
    return new LogEntry(ts, line.getBytes(StandardCharsets.UTF_8), md);
  }

  /**
   * One attribute as labels: a map value becomes one label per leaf, named
   * {@code prefix_key_subkey} (each part normalised), anything else one label with the rendered value.
   */
  static void flatten(String key, AnyValue value, String prefix, List<Label> out) {
    String name = MetadataNormalizer.normalizeName(prefix.isEmpty() ? key : prefix + "_" + key);
    if (value.hasKvlistValue()) {
      for (KeyValue kv : value.getKvlistValue().getValuesList()) flatten(kv.getKey(), kv.getValue(), name, out);
    } else {
      out.add(new Label(name, AnyValues.asString(value)));
    }
  }

  /** The collector refuses trace and span ids of any other length while decoding; so does Lodge. */
  private static void checkIdLength(ByteString id, int length) {
    if (!id.isEmpty() && id.size() != length) throw new PushDecodeException("invalid length for ID");
  }

  private static boolean isZero(ByteString id) {
    for (int i = 0; i < id.size(); i++) if (id.byteAt(i) != 0) return false;
    return true;
  }

  /** An index label that is not a valid Prometheus label name. */
  private static final class InvalidLabelException extends RuntimeException {
    InvalidLabelException(String message) {
      super(message, null, false, false);
    }
  }
}
