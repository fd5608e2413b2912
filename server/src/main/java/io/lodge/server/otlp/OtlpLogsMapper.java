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
import io.lodge.config.OtlpAttributesRule.Action;
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
import java.util.function.LongSupplier;

/**
 * Loki's OTLP mapping (LOKI-COMPAT 1.11): an {@code ExportLogsServiceRequest} becomes one push stream per
 * distinct set of index labels. The {@link OtlpAttributePolicy} (Loki's {@code otlp_config}; by default the
 * well-known resource attributes) says which resource and log-record attributes become stream labels
 * (normalised names) and which attributes are dropped; every other resource, scope and log-record attribute
 * becomes structured metadata (map values flattened with {@code _}), plus the log record's and scope's own
 * fields; the line is the body rendered by {@link AnyValues}. Streams keep the order they first appear in.
 *
 * <p>A resource whose index labels do not form a valid label set is skipped and reported in
 * {@link Result#errors()}, like Loki, which skips it and keeps the rest of the request.
 */
final class OtlpLogsMapper {
  private static final String SERVICE_NAME_ATTRIBUTE = "service.name";
  private static final HexFormat HEX = HexFormat.of();

  /** The mapped request and the resources that had to be skipped (with Loki's reason). */
  record Result(PushRequest request, List<String> errors) {}

  private static final String SEVERITY_TEXT = "severity_text";

  private final OtlpAttributePolicy policy;
  private final List<String> discovery;
  private final LongSupplier nowNanos;

  /** {@code discovery}: {@code LimitsConfig.discoverServiceName()} (empty turns discovery off). */
  OtlpLogsMapper(OtlpAttributePolicy policy, List<String> discovery, LongSupplier nowNanos) {
    this.policy = policy;
    this.discovery = List.copyOf(discovery);
    this.nowNanos = nowNanos;
  }

  Result map(ExportLogsServiceRequest request) {
    Map<LabelSet, List<LogEntry>> streams = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    for (ResourceLogs rl : request.getResourceLogsList()) {
      if (recordCount(rl) == 0) continue;
      List<KeyValue> resourceAttrs = rl.getResource().getAttributesList();
      Map<String, String> resourceLabels;
      LabelSet labels;
      try {
        resourceLabels = streamLabels(resourceAttrs);
        labels = labelSet(resourceLabels);
      } catch (InvalidLabelException e) {
        errors.add("invalid labels: " + e.getMessage());
        continue;
      }
      List<Label> resourceMetadata = new ArrayList<>();
      for (KeyValue kv : resourceAttrs) {
        if (policy.resourceAction(kv.getKey()) == Action.STRUCTURED_METADATA) {
          flatten(kv.getKey(), kv.getValue(), "", resourceMetadata);
        }
      }
      List<LogEntry> resourceEntries = null;
      List<Label> recordLabels = new ArrayList<>();
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        List<Label> scopeMetadata = scopeMetadata(sl.getScope());
        for (LogRecord r : sl.getLogRecordsList()) {
          recordLabels.clear();
          LogEntry e = entry(r, resourceMetadata, scopeMetadata, recordLabels);
          if (recordLabels.isEmpty()) {
            if (resourceEntries == null) resourceEntries = streams.computeIfAbsent(labels, k -> new ArrayList<>());
            resourceEntries.add(e);
            continue;
          }
          // log attributes as index labels (or severity_text_as_label) give this record its own stream
          Map<String, String> merged = new LinkedHashMap<>(resourceLabels);
          for (Label l : recordLabels) merged.put(l.name(), l.value());
          try {
            streams.computeIfAbsent(labelSet(merged), k -> new ArrayList<>()).add(e);
          } catch (InvalidLabelException ex) {
            errors.add("invalid labels: " + ex.getMessage());
          }
        }
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
  private Map<String, String> streamLabels(List<KeyValue> attrs) {
    boolean discover = !discovery.isEmpty();
    boolean hasServiceName = false;
    for (KeyValue kv : attrs) {
      if (kv.getKey().equals(SERVICE_NAME_ATTRIBUTE) && !AnyValues.asString(kv.getValue()).isEmpty()) {
        hasServiceName = true;
      }
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (KeyValue kv : attrs) {
      if (policy.resourceAction(kv.getKey()) != Action.INDEX_LABEL) continue;
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
    return labels;
  }

  private static LabelSet labelSet(Map<String, String> labels) {
    for (String name : labels.keySet()) {
      if (!LabelsParser.isLabelName(name)) throw new InvalidLabelException("\"" + name + "\" is not a valid label name");
    }
    return LabelSet.of(labels).withoutEmptyValues();
  }

  private List<Label> scopeMetadata(InstrumentationScope scope) {
    List<Label> md = new ArrayList<>(scope.getAttributesCount() + 3);
    for (KeyValue kv : scope.getAttributesList()) {
      if (policy.scopeAction(kv.getKey()) == Action.STRUCTURED_METADATA) flatten(kv.getKey(), kv.getValue(), "", md);
    }
    if (!scope.getName().isEmpty()) md.add(new Label("scope_name", scope.getName()));
    if (!scope.getVersion().isEmpty()) md.add(new Label("scope_version", scope.getVersion()));
    if (scope.getDroppedAttributesCount() != 0) {
      md.add(new Label("scope_dropped_attributes_count", Integer.toUnsignedString(scope.getDroppedAttributesCount())));
    }
    return md;
  }

  /** The record as an entry; log attributes (and severity text) configured as index labels go to {@code labels}. */
  private LogEntry entry(LogRecord r, List<Label> resourceMetadata, List<Label> scopeMetadata, List<Label> labels) {
    List<Label> md = new ArrayList<>(r.getAttributesCount() + 8 + resourceMetadata.size() + scopeMetadata.size());
    for (KeyValue kv : r.getAttributesList()) {
      switch (policy.logAction(kv.getKey())) {
        case STRUCTURED_METADATA -> flatten(kv.getKey(), kv.getValue(), "", md);
        case INDEX_LABEL -> flatten(kv.getKey(), kv.getValue(), "", labels);
        case DROP -> { }
      }
    }
    // with no time_unix_nano the observed time is the entry's timestamp, so it is not repeated
    if (r.getTimeUnixNano() != 0 && r.getObservedTimeUnixNano() != 0) {
      md.add(new Label("observed_timestamp", Long.toString(r.getObservedTimeUnixNano())));
    }
    if (r.getSeverityNumberValue() != 0) md.add(new Label("severity_number", Integer.toString(r.getSeverityNumberValue())));
    if (!r.getSeverityText().isEmpty()) {
      (policy.severityTextAsLabel() ? labels : md).add(new Label(SEVERITY_TEXT, r.getSeverityText()));
    }
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
