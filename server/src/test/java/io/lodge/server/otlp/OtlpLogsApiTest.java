package io.lodge.server.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import io.lodge.config.ConfigLoader;
import io.lodge.config.LodgeConfig;
import io.lodge.ingester.PushOutcome;
import io.lodge.ingester.PushService;
import io.lodge.server.LodgeServer;
import io.lodge.server.http.HttpServer;
import io.lodge.server.http.Router;
import io.lodge.server.metrics.HttpMetrics;
import io.lodge.server.tenant.TenantResolver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /otlp/v1/logs} end to end: the OpenTelemetry Java SDK and its OTLP/HTTP exporter (protobuf,
 * gzip) and its OTLP/JSON marshaler send log records to a real in-process Lodge; the query API then shows
 * exactly those entries with Loki's default labels and structured metadata. Refusals are checked with
 * their status and {@code google.rpc.Status} body.
 */
class OtlpLogsApiTest {
  private static final long NOW = Instant.now().getEpochSecond() * 1_000_000_000L;
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String SPAN_ID = "b7ad6b7169203331";

  @TempDir Path dir;
  private LodgeServer lodge;
  private HttpServer otlpHttp;
  private final ExecutorService workers = Executors.newFixedThreadPool(2);
  private final HttpClient http = HttpClient.newHttpClient();

  /** Lodge, plus the OTLP route on a second listener over the same ingester (until LodgeServer wires it). */
  private void start(boolean auth, PushService override) throws Exception {
    String yaml = """
        auth_enabled: %s
        server:
          http_listen_address: 127.0.0.1
          http_listen_port: 0
          grpc_listen_port: 0
          http_server_max_request_body_size: 1MB
        common:
          path_prefix: %s
        """.formatted(auth, dir.resolve("data"));
    LodgeConfig config = ConfigLoader.fromYaml(yaml, "test.yaml").config();
    lodge = new LodgeServer(config);
    lodge.start();
    Router router = new Router();
    PushService service = override != null ? override : lodge.ingester().pushService();
    new OtlpLogsHandler(service, config.limits(), config.distributor(), config.server().maxRequestBodySize(), workers).register(router);
    otlpHttp = new HttpServer(config.server(), router, new TenantResolver(config.authEnabled(), false),
        new HttpMetrics(new PrometheusRegistry()));
    otlpHttp.start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (otlpHttp != null) otlpHttp.close(Duration.ofSeconds(2));
    if (lodge != null) lodge.close();
    workers.shutdown();
    workers.awaitTermination(5, TimeUnit.SECONDS);
  }

  private String endpoint() {
    return "http://127.0.0.1:" + otlpHttp.port() + OtlpLogsHandler.PATH;
  }

  private List<StreamQuery.Stream> query(String tenant, String selector) throws Exception {
    return StreamQuery.query(lodge.httpPort(), tenant, selector, NOW - Duration.ofHours(1).toNanos(),
        NOW + Duration.ofMinutes(5).toNanos());
  }

  private static Resource resource(String service) {
    return Resource.create(Attributes.builder()
        .put("service.name", service)
        .put("k8s.pod.name", "pod-7")
        .put("deployment.environment", "prod")
        .put("host.name", "node-1")
        .put("telemetry.sdk.language", "java")
        .build());
  }

  /** Emits the test's three records through {@code provider}'s logger. */
  private static void emit(SdkLoggerProvider provider) {
    Logger logger = provider.loggerBuilder("io.shop.orders").setInstrumentationVersion("1.2.0").build();
    Context traced = Context.root().with(Span.wrap(SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(),
        TraceState.getDefault())));
    logger.logRecordBuilder()
        .setTimestamp(NOW + 1, TimeUnit.NANOSECONDS)
        .setSeverity(Severity.INFO)
        .setSeverityText("INFO")
        .setBody("order placed")
        .setAttribute(AttributeKey.stringKey("user.id"), "u-1")
        .setAttribute(AttributeKey.longKey("http.status"), 201L)
        .setContext(traced)
        .emit();
    logger.logRecordBuilder()
        .setTimestamp(NOW + 2, TimeUnit.NANOSECONDS)
        .setSeverity(Severity.ERROR)
        .setBody(Value.of(KeyValue.of("msg", Value.of("payment <failed>")), KeyValue.of("amount", Value.of(12.5)),
            KeyValue.of("codes", Value.of(Value.of(1L), Value.of(true)))))
        .emit();
    logger.logRecordBuilder()
        .setTimestamp(NOW + 3, TimeUnit.NANOSECONDS)
        .setBody("no severity")
        .setAttribute(AttributeKey.doubleKey("ratio"), 0.25)
        .emit();
  }

  /** What Loki's default mapping makes of {@link #emit}'s records, without observed_timestamp. */
  private static List<StreamQuery.Stream> expected(String service) {
    Map<String, String> common = Map.of(
        "service_name", service, "k8s_pod_name", "pod-7", "deployment_environment", "prod",
        "host_name", "node-1", "telemetry_sdk_language", "java",
        "scope_name", "io.shop.orders", "scope_version", "1.2.0");
    Map<String, String> first = new HashMap<>(common);
    first.putAll(Map.of("severity_number", "9", "severity_text", "INFO", "user_id", "u-1", "http_status", "201",
        "trace_id", TRACE_ID, "span_id", SPAN_ID, "flags", "1", "detected_level", "info"));
    Map<String, String> second = new HashMap<>(common);
    second.putAll(Map.of("severity_number", "17", "detected_level", "error"));
    Map<String, String> third = new HashMap<>(common);
    third.putAll(Map.of("ratio", "0.25", "detected_level", "unknown"));
    return List.of(
        new StreamQuery.Stream(new java.util.TreeMap<>(first), List.of(new StreamQuery.Entry(NOW + 1, "order placed"))),
        new StreamQuery.Stream(new java.util.TreeMap<>(second), List.of(new StreamQuery.Entry(NOW + 2,
            "{\"amount\":12.5,\"codes\":[1,true],\"msg\":\"payment \\u003cfailed\\u003e\"}"))),
        new StreamQuery.Stream(new java.util.TreeMap<>(third), List.of(new StreamQuery.Entry(NOW + 3, "no severity"))));
  }

  /** The result without observed_timestamp (set by the SDK at emit time), after checking it is a ns time. */
  private static List<StreamQuery.Stream> withoutObservedTimestamp(List<StreamQuery.Stream> streams) {
    List<StreamQuery.Stream> out = new ArrayList<>();
    for (StreamQuery.Stream s : streams) {
      Map<String, String> labels = new java.util.TreeMap<>(s.labels());
      String observed = labels.remove("observed_timestamp");
      assertThat(observed).as("observed_timestamp of %s", s).isNotNull();
      assertThat(Long.parseLong(observed)).isBetween(NOW - Duration.ofMinutes(5).toNanos(), NOW + Duration.ofMinutes(5).toNanos());
      out.add(new StreamQuery.Stream(labels, s.entries()));
    }
    out.sort((a, b) -> Long.compare(a.entries().get(0).ts(), b.entries().get(0).ts()));
    return out;
  }

  @Test
  void sdkExportsOverProtobufWithGzipAreStoredWithLokisMapping() throws Exception {
    start(true, null);
    OtlpHttpLogRecordExporter exporter = OtlpHttpLogRecordExporter.builder()
        .setEndpoint(endpoint()).setCompression("gzip").addHeader("X-Scope-OrgID", "team-a").build();
    try (SdkLoggerProvider provider = SdkLoggerProvider.builder().setResource(resource("checkout"))
        .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter)).build()) {
      emit(provider);
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    assertThat(withoutObservedTimestamp(query("team-a", "{service_name=\"checkout\"}"))).isEqualTo(expected("checkout"));
    assertThat(query("other", "{service_name=\"checkout\"}")).as("stored under the exporter's tenant only").isEmpty();
  }

  /** Collects what the SDK hands to an exporter, for its own OTLP/JSON marshaler. */
  private static final class Collecting implements LogRecordExporter {
    final List<LogRecordData> records = new ArrayList<>();

    @Override
    public synchronized CompletableResultCode export(Collection<LogRecordData> logs) {
      records.addAll(logs);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  private byte[] sdkRecords(String service, boolean json) throws Exception {
    Collecting sink = new Collecting();
    try (SdkLoggerProvider provider = SdkLoggerProvider.builder().setResource(resource(service))
        .addLogRecordProcessor(SimpleLogRecordProcessor.create(sink)).build()) {
      emit(provider);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LogsRequestMarshaler marshaler = LogsRequestMarshaler.create(sink.records);
    if (json) marshaler.writeJsonTo(out);
    else marshaler.writeBinaryTo(out);
    return out.toByteArray();
  }

  private HttpResponse<byte[]> post(String contentType, String encoding, byte[] body, String tenant) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint())).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) b.header("Content-Type", contentType);
    if (encoding != null) b.header("Content-Encoding", encoding);
    if (tenant != null) b.header("X-Scope-OrgID", tenant);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String statusMessage(HttpResponse<byte[]> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type")).hasValue(OtlpLogsHandler.ERROR_CONTENT_TYPE);
    Status s = Status.parseFrom(r.body());
    assertThat(s.getCode()).isZero();
    return s.getMessage();
  }

  @Test
  void otlpConfigFromTheLokiYamlDecidesLabelsMetadataAndDrops() throws Exception {
    String yaml = """
        server:
          http_listen_address: 127.0.0.1
          http_listen_port: 0
          grpc_listen_port: 0
        common:
          path_prefix: %s
        distributor:
          otlp_config:
            default_resource_attributes_as_index_labels: [service.name, deployment.environment, k8s.pod.name]
        limits_config:
          otlp_config:
            resource_attributes:
              attributes_config:
                - action: index_label
                  attributes: [host.name]
                - action: drop
                  regex: telemetry\\..*
            scope_attributes:
              - action: drop
                attributes: [internal]
            log_attributes:
              - action: index_label
                attributes: [user.id]
              - action: drop
                attributes: [http.status]
            severity_text_as_label: true
        """.formatted(dir.resolve("data"));
    lodge = new LodgeServer(ConfigLoader.fromYaml(yaml, "otlp.yaml").config());
    lodge.start();
    OtlpHttpLogRecordExporter exporter = OtlpHttpLogRecordExporter.builder()
        .setEndpoint("http://127.0.0.1:" + lodge.httpPort() + OtlpLogsHandler.PATH).build();
    try (SdkLoggerProvider provider = SdkLoggerProvider.builder().setResource(resource("orders"))
        .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter)).build()) {
      emit(provider);
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    // stream selectors see only index labels: these prove which attributes became labels
    List<StreamQuery.Stream> first = withoutObservedTimestamp(query(null,
        "{service_name=\"orders\", host_name=\"node-1\", k8s_pod_name=\"pod-7\", user_id=\"u-1\", severity_text=\"INFO\"}"));
    assertThat(first).hasSize(1);
    assertThat(first.get(0).entries()).containsExactly(new StreamQuery.Entry(NOW + 1, "order placed"));
    assertThat(first.get(0).labels())
        .as("dropped: telemetry.* resource attributes and the http.status log attribute")
        .doesNotContainKeys("telemetry_sdk_language", "http_status")
        .containsEntry("scope_name", "io.shop.orders").containsEntry("trace_id", TRACE_ID)
        .containsEntry("deployment_environment", "prod");
    List<StreamQuery.Stream> rest = withoutObservedTimestamp(query(null, "{service_name=\"orders\", user_id=\"\"}"));
    assertThat(rest).extracting(s -> s.entries().get(0).line()).hasSize(2).last().isEqualTo("no severity");
    assertThat(rest.get(1).labels()).containsEntry("ratio", "0.25").doesNotContainKey("severity_text");
  }

  @Test
  void sdkOtlpJsonIsStoredLikeProtobuf() throws Exception {
    start(false, null);
    byte[] json = sdkRecords("billing", true);
    assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"traceId\":\"" + TRACE_ID + "\"");
    HttpResponse<byte[]> r = post("application/json", null, json, null);
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    assertThat(withoutObservedTimestamp(query(null, "{service_name=\"billing\"}"))).isEqualTo(expected("billing"));

    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(sdkRecords("shipping", false));
    }
    assertThat(post("application/x-protobuf", "gzip", gz.toByteArray(), null).statusCode()).isEqualTo(204);
    assertThat(withoutObservedTimestamp(query(null, "{service_name=\"shipping\"}"))).isEqualTo(expected("shipping"));
  }

  @Test
  void refusalsAnswerAStatusBody() throws Exception {
    start(true, null);
    byte[] proto = sdkRecords("refused", false);
    HttpResponse<byte[]> r = post("application/json; charset=utf-8", null, proto, "t");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(statusMessage(r)).isEqualTo("content type: application/json; charset=utf-8 is not supported");
    r = post(null, null, proto, "t");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(statusMessage(r)).isEqualTo("content type:  is not supported");
    r = post("application/x-protobuf", "gzip", proto, "t");
    assertThat(r.statusCode()).as("not gzip").isEqualTo(400);
    assertThat(statusMessage(r)).startsWith("gzip:");
    r = post("application/x-protobuf", null, "\u00ff\u00ff\u00ff".getBytes(StandardCharsets.ISO_8859_1), "t");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(statusMessage(r)).startsWith("proto: cannot decode ExportLogsServiceRequest");
    r = post("application/json", null, "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[]}]}]}".getBytes(), "t");
    assertThat(r.statusCode()).as("no log record").isEqualTo(422);
    assertThat(statusMessage(r)).isEqualTo("error at least one valid stream is required for ingestion");
    r = post("application/json", null, "{\"resourceLogs\":[".getBytes(), "t");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(statusMessage(r)).startsWith("unmarshal:");
    r = post("application/json", null, new byte[2 << 20], "t");
    assertThat(r.statusCode()).as("over the body limit").isEqualTo(413);

    // tenant rules come before the handler and answer like every push path: plain text
    r = post("application/x-protobuf", null, proto, null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("no org id\n");
    r = post("application/x-protobuf", null, proto, "a|b");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("multiple org IDs present\n");
    assertThat(query("t", "{service_name=\"refused\"}")).as("nothing refused was stored").isEmpty();
  }

  @Test
  void validationFailuresStoreTheValidPartAndAnswer400() throws Exception {
    start(false, null);
    long old = NOW - Duration.ofDays(8).toNanos();
    String json = """
        {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"val"}}]},
          "scopeLogs":[{"logRecords":[
            {"timeUnixNano":"%d","body":{"stringValue":"too old"}},
            {"timeUnixNano":"%d","body":{"stringValue":"fine"}}]}]}]}
        """.formatted(old, NOW + 5);
    HttpResponse<byte[]> r = post("application/json", null, json.getBytes(StandardCharsets.UTF_8), null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(statusMessage(r)).startsWith("entry for stream '{service_name=\"val\"}' has timestamp too old");
    assertThat(query(null, "{service_name=\"val\"}")).singleElement()
        .satisfies(s -> assertThat(s.entries()).containsExactly(new StreamQuery.Entry(NOW + 5, "fine")));
  }

  @Test
  void internalErrorsBecome503() throws Exception {
    start(false, (tenant, request) -> CompletableFuture.completedFuture(new PushOutcome(500, "disk on fire")));
    HttpResponse<byte[]> r = post("application/x-protobuf", null, sdkRecords("x", false), null);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(statusMessage(r)).isEqualTo("disk on fire");
  }
}
