package io.lodge.server.shippers;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpServer;
import io.lodge.config.ConfigLoader;
import io.lodge.server.LodgeServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.MDC;

/**
 * The real loki4j logback appender (com.github.loki4j:loki-logback-appender) pushing to a real in-process
 * Lodge, once in its default JSON mode and once in its protobuf+snappy mode; what the appender sent is then
 * read back through {@code /loki/api/v1/query_range} with categorized labels, so stream labels and
 * structured metadata are checked apart.
 */
class Loki4jAppenderTest {
  private static final String SELECTOR = "{app=\"loki4j-test\"}";

  @TempDir Path dir;
  private LodgeServer server;
  private LoggerContext logback;
  private HttpServer tap;
  /** "content-type|content-encoding" of every push the appender made, seen by the tap. */
  private final List<String> pushFormats = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** One entry as read back: stream labels, line, structured metadata. */
  record Entry(Map<String, String> labels, String line, Map<String, String> metadata) {}

  @AfterEach
  void stop() {
    if (logback != null) logback.stop();
    if (tap != null) tap.stop(0);
    if (server != null) server.close();
  }

  private void startServer() throws Exception {
    String yaml = """
        auth_enabled: false
        server:
          http_listen_address: 127.0.0.1
          http_listen_port: 0
          grpc_listen_port: 0
        common:
          path_prefix: %s
        """.formatted(dir.resolve("data"));
    server = new LodgeServer(ConfigLoader.fromYaml(yaml, "test.yaml").config());
    server.start();
  }

  /**
   * A pass-through HTTP tap in front of Lodge that notes each push's Content-Type and Content-Encoding,
   * so the test knows which wire format the appender really used; status and body are relayed unchanged.
   */
  private int startTap() throws IOException {
    tap = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    tap.createContext("/", exchange -> {
      try (exchange) {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        pushFormats.add(type + "|" + encoding);
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
          body = in.readAllBytes();
        }
        HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
            + exchange.getRequestURI())).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) forward.header("Content-Type", type);
        if (encoding != null) forward.header("Content-Encoding", encoding);
        HttpResponse<byte[]> r = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
        exchange.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
        if (r.body().length > 0) {
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(r.body());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while relaying a push to Lodge", e);
      }
    });
    tap.start();
    return tap.getAddress().getPort();
  }

  /**
   * A logback context of its own, configured from the same XML a user would write (docs/shippers/loki4j.md),
   * so the test's own logging (logback-test.xml) is untouched.
   */
  private Logger startAppender(int port, boolean protobuf) throws Exception {
    String xml = """
        <configuration>
          <appender name="LOKI" class="com.github.loki4j.logback.Loki4jAppender">
            <http>
              <url>http://127.0.0.1:%d/loki/api/v1/push</url>
              <useProtobufApi>%s</useProtobufApi>
            </http>
            <batch>
              <timeoutMs>200</timeoutMs>
              <drainOnStop>true</drainOnStop>
            </batch>
            <labels>
              app = loki4j-test
              mode = %s
              level = %%level
            </labels>
            <structuredMetadata>
              logger = %%logger
              *=%%%%mdc
              *=%%%%kvp
            </structuredMetadata>
            <message class="ch.qos.logback.classic.PatternLayout">
              <pattern>%%msg</pattern>
            </message>
          </appender>
          <root level="INFO"><appender-ref ref="LOKI"/></root>
        </configuration>
        """.formatted(port, protobuf, mode(protobuf));
    logback = new LoggerContext();
    logback.setName("loki4j-test");
    // events read MDC through their context's adapter: share the one org.slf4j.MDC writes to
    logback.setMDCAdapter(MDC.getMDCAdapter());
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(logback);
    joran.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    assertThat(errors()).as("logback configuration errors").isEmpty();
    return logback.getLogger("shop.checkout");
  }

  private static String mode(boolean protobuf) {
    return protobuf ? "protobuf" : "json";
  }

  private List<String> errors() {
    List<String> errors = new ArrayList<>();
    for (Status s : logback.getStatusManager().getCopyOfStatusList()) {
      if (s.getLevel() >= Status.WARN) errors.add(s.toString());
    }
    return errors;
  }

  @ParameterizedTest(name = "protobuf={0}")
  @ValueSource(booleans = {false, true})
  void appenderPushesLabelsMdcAndKeyValuesAsStructuredMetadata(boolean protobuf) throws Exception {
    startServer();
    Logger log = startAppender(startTap(), protobuf);
    long before = System.currentTimeMillis() * 1_000_000L;
    List<Entry> expected = new ArrayList<>();
    String mode = mode(protobuf);

    try {
      MDC.put("request_id", "r-1");
      log.atInfo().addKeyValue("user", "alice").log("user logged in");
      expected.add(expect(mode, "INFO", "user logged in", "request_id", "r-1", "user", "alice"));
      MDC.put("request_id", "r-2");
      log.atWarn().addKeyValue("disk", "sda").log("disk almost full");
      expected.add(expect(mode, "WARN", "disk almost full", "request_id", "r-2", "disk", "sda"));
      MDC.put("request_id", "r-3");
      log.info("cache warmed in {} ms", 42);
      expected.add(expect(mode, "INFO", "cache warmed in 42 ms", "request_id", "r-3"));
      log.debug("below the root level, never sent");
    } finally {
      MDC.remove("request_id");
    }
    // stopping drains the batcher and waits for the last send
    logback.stop();
    assertThat(errors()).as("loki4j reported send errors").isEmpty();
    long after = System.currentTimeMillis() * 1_000_000L;
    // Loki's two push encodings: protobuf is always snappy-compressed, JSON goes uncompressed
    assertThat(pushFormats).isNotEmpty().allSatisfy(f -> assertThat(f).isEqualTo(protobuf
        ? "application/x-protobuf|null" : "application/json|null"));

    List<long[]> timestamps = new ArrayList<>();
    List<Entry> actual = query(before - 1, after + 1, timestamps);
    // entries of different streams may share a millisecond, so their merged order is not fixed
    assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
    for (long[] ts : timestamps) assertThat(ts[0]).isBetween(before - 1_000_000L, after);
  }

  /**
   * The entry Lodge must return: the appender's labels plus {@code service_name} (discovered from
   * {@code app}); the appender's structured metadata plus {@code detected_level} (copied verbatim from the
   * {@code level} stream label), LOKI-COMPAT 1.6.
   */
  private static Entry expect(String mode, String level, String line, String... mdcAndKvp) {
    Map<String, String> labels = new TreeMap<>(Map.of("app", "loki4j-test", "mode", mode, "level", level,
        "service_name", "loki4j-test"));
    Map<String, String> metadata = new TreeMap<>(Map.of("logger", "shop.checkout", "detected_level", level));
    for (int i = 0; i < mdcAndKvp.length; i += 2) metadata.put(mdcAndKvp[i], mdcAndKvp[i + 1]);
    return new Entry(labels, line, metadata);
  }

  /** Every entry of the selector in [from, to), forward in time, with categorized labels. */
  private List<Entry> query(long from, long to, List<long[]> timestamps) throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + server.httpPort() + "/loki/api/v1/query_range?query="
        + URLEncoder.encode(SELECTOR, StandardCharsets.UTF_8) + "&direction=forward&limit=1000&start=" + from + "&end=" + to);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
        .header("X-Loki-Response-Encoding-Flags", "categorize-labels").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    // (timestamp, entry) pairs across all streams, merged into time order below
    List<Map.Entry<Long, Entry>> all = new ArrayList<>();
    try (JsonParser p = new JsonFactory().createParser(r.body())) {
      Map<String, Object> body = readObject(p, p.nextToken());
      @SuppressWarnings("unchecked")
      Map<String, Object> data = (Map<String, Object>) body.get("data");
      assertThat(data.get("resultType")).isEqualTo("streams");
      for (Object s : (List<?>) data.get("result")) {
        Map<?, ?> stream = (Map<?, ?>) s;
        Map<String, String> labels = strings(stream.get("stream"));
        for (Object v : (List<?>) stream.get("values")) {
          List<?> value = (List<?>) v;
          Map<?, ?> categories = value.size() > 2 ? (Map<?, ?>) value.get(2) : Map.of();
          assertThat(categories.get("parsed")).as("nothing is parsed by a plain selector").isNull();
          all.add(Map.entry(Long.parseLong((String) value.get(0)),
              new Entry(labels, (String) value.get(1), strings(categories.get("structuredMetadata")))));
        }
      }
    }
    all.sort(Map.Entry.comparingByKey());
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<Long, Entry> e : all) {
      timestamps.add(new long[] {e.getKey()});
      entries.add(e.getValue());
    }
    return entries;
  }

  private static Map<String, String> strings(Object object) {
    Map<String, String> out = new TreeMap<>();
    if (object != null) ((Map<?, ?>) object).forEach((k, v) -> out.put((String) k, (String) v));
    return out;
  }

  /** A JSON value as Map (insertion order) / List / String (numbers and literals as their text). */
  private static Object readValue(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case START_OBJECT -> readObject(p, t);
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) list.add(readValue(p, e));
        yield list;
      }
      case VALUE_NULL -> null;
      default -> p.getText();
    };
  }

  private static Map<String, Object> readObject(JsonParser p, JsonToken start) throws IOException {
    if (start != JsonToken.START_OBJECT) throw new IOException("expected a JSON object, got " + start + " at " + p.currentLocation());
    Map<String, Object> map = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      map.put(name, readValue(p, p.nextToken()));
    }
    return map;
  }
}
