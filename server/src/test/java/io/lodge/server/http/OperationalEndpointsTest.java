package io.lodge.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lodge.server.log.LogSetup;
import io.lodge.server.metrics.HttpMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OperationalEndpointsTest {
  private final AtomicReference<String> notReady = new AtomicReference<>("WAL replay in progress");
  private final ServiceRegistry services = new ServiceRegistry();
  private TestServer t;
  private String levelBefore;

  @BeforeEach
  void start() throws Exception {
    levelBefore = LogSetup.level();
    Router router = new Router();
    t = new TestServer(router);
    new ReadyHandler(notReady::get).register(router);
    new MetricsHandler(t.registry).register(router);
    new BuildInfoHandler(BuildInfoHandler.BuildInfo.current()).register(router);
    new ConfigHandler(mode -> "mode: '" + mode + "'\n").register(router);
    new ServicesHandler(services).register(router);
    new LogLevelHandler().register(router);
  }

  @AfterEach
  void stop() {
    t.close();
    LogSetup.setLevel(levelBefore);
  }

  @Test
  void readyIs503WithTheReasonThen200() throws Exception {
    HttpResponse<String> r = t.get("/ready");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("WAL replay in progress\n");
    notReady.set(null);
    HttpResponse<String> ok = t.get("/ready");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("ready\n");
  }

  @Test
  void serviceRegistryDrivesServicesAndReadiness() throws Exception {
    services.register("wal");
    services.set("ingester", ServiceState.Starting);
    services.set("server", ServiceState.Running);
    assertThat(t.get("/services").body()).isEqualTo("ingester => Starting\nserver => Running\nwal => New\n");
    assertThat(services.notReadyReason())
        .isEqualTo("Some services are not Running:\nNew: 1\nStarting: 1\nRunning: 1");
    services.set("wal", ServiceState.Running);
    services.set("ingester", ServiceState.Running);
    assertThat(services.notReadyReason()).isNull();
  }

  @Test
  void metricsExposeRegisteredCountersAndTheRequestHistogram() throws Exception {
    Counter c = Counter.builder().name("lodge_test_things").help("Things.").labelNames("kind").register(t.registry);
    c.labelValues("x").inc(3);
    HttpMetrics.registerJvmMetrics(t.registry);
    t.get("/ready"); // a request for the histogram
    t.get("/no/such/path");
    t.post("/log_level", "application/x-www-form-urlencoded", "log_level=info"); // 14 bytes in
    HttpResponse<String> r = t.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body())
        .contains("lodge_test_things_total{kind=\"x\"} 3.0")
        .contains("lodge_request_duration_seconds_bucket{method=\"GET\",route=\"/ready\",status_code=\"503\",le=\"0.005\"}")
        .contains("lodge_request_duration_seconds_count{method=\"GET\",route=\"notfound\",status_code=\"404\"} 1")
        .contains("lodge_request_received_bytes_total{route=\"/log_level\"} 14.0")
        .contains("jvm_memory_used_bytes", "jvm_threads_current", "jvm_buffer_pool_used_bytes",
            "jvm_classes_currently_loaded", "jvm_compilation_time_seconds_total", "jvm_gc_collection_seconds",
            "jvm_runtime_info", "process_cpu_seconds_total")
        .doesNotContain("jvm_native_memory"); // this JVM runs without -XX:NativeMemoryTracking
    assertThat(HttpMetrics.nativeMemoryTracking()).isFalse();

    HttpResponse<String> om = t.send(t.request("/metrics")
        .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8").GET().build());
    assertThat(om.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/openmetrics-text");
    assertThat(om.body()).endsWith("# EOF\n");
  }

  @Test
  void buildInfoIsBareJsonWithLokisKeys() throws Exception {
    HttpResponse<String> r = t.get("/loki/api/v1/status/buildinfo");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
    Map<String, String> json = parseFlatJson(r.body());
    assertThat(json).containsKeys("version", "revision", "branch", "buildUser", "buildDate", "goVersion");
    assertThat(json.get("version")).isEqualTo("3.4.6");
    assertThat(json.get("goVersion")).startsWith("java");
  }

  @Test
  void configPassesTheMode() throws Exception {
    assertThat(t.get("/config").body()).isEqualTo("mode: ''\n");
    assertThat(t.get("/config?mode=diffs").body()).isEqualTo("mode: 'diffs'\n");
    assertThat(t.get("/config?mode=defaults").body()).isEqualTo("mode: 'defaults'\n");
    assertThat(t.get("/config?mode=bogus").body()).isEqualTo("mode: ''\n");
  }

  @Test
  void logLevelReadsAndSets() throws Exception {
    HttpResponse<String> set = t.post("/log_level", "application/x-www-form-urlencoded", "log_level=error");
    assertThat(set.statusCode()).isEqualTo(200);
    assertThat(parseFlatJson(set.body()))
        .isEqualTo(Map.of("status", "success", "message", "Log level set to error"));
    assertThat(parseFlatJson(t.get("/log_level").body()))
        .isEqualTo(Map.of("message", "Current log level is error"));
    assertThat(t.send(t.request("/log_level?log_level=debug").POST(HttpRequest.BodyPublishers.noBody()).build())
        .statusCode()).isEqualTo(200);
    assertThat(LogSetup.level()).isEqualTo("debug");
    HttpResponse<String> bad = t.post("/log_level", "application/x-www-form-urlencoded", "log_level=loud");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(parseFlatJson(bad.body())).containsEntry("status", "failed");
    assertThat(LogSetup.level()).isEqualTo("debug");
  }

  private static Map<String, String> parseFlatJson(String body) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (JsonParser p = new JsonFactory().createParser(body)) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_STRING);
        out.put(name, p.getText());
      }
      assertThat(p.currentToken()).isEqualTo(JsonToken.END_OBJECT);
      assertThat(p.nextToken()).isNull();
    }
    return out;
  }
}
