package io.lodge.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.config.ServerConfig;
import io.lodge.server.metrics.HttpMetrics;
import io.lodge.server.tenant.TenantResolver;
import io.netty.handler.codec.http.HttpMethod;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpServerTest {
  private static final int LIMIT = 4096;
  private final CountDownLatch release = new CountDownLatch(1);
  private TestServer t;

  @BeforeEach
  void start() throws Exception {
    Router router = new Router();
    router.get("/hello", r -> CompletableFuture.completedFuture(Response.text(200, "hello " + r.param("name"))));
    router.add(Set.of(HttpMethod.POST), "/echo", TenantPolicy.NONE,
        r -> CompletableFuture.completedFuture(Response.text(200, r.body().toString(StandardCharsets.UTF_8))));
    router.add(Set.of(HttpMethod.GET, HttpMethod.POST), "/params", TenantPolicy.NONE,
        r -> CompletableFuture.completedFuture(Response.text(200, String.valueOf(r.params().get("q")))));
    router.get("/label/{name}/values",
        r -> CompletableFuture.completedFuture(Response.text(200, r.pathParam("name"))));
    router.get("/nocontent", r -> CompletableFuture.completedFuture(Response.noContent()));
    router.get("/boom", r -> {
      throw new IllegalStateException("handler exploded");
    });
    router.get("/async", r -> CompletableFuture.supplyAsync(() -> Response.text(200, Thread.currentThread().getName())));
    router.get("/slow", r -> CompletableFuture.supplyAsync(() -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Response.text(200, "finally");
    }));
    router.get("/delay/{ms}", r -> {
      long ms = Long.parseLong(r.pathParam("ms"));
      return CompletableFuture.supplyAsync(() -> Response.text(200, r.pathParam("ms")),
          CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS));
    });
    t = new TestServer(router, LIMIT, new TenantResolver(false, false));
  }

  @AfterEach
  void stop() {
    release.countDown();
    t.close();
  }

  @Test
  void unknownPathIs404LikeGo() throws Exception {
    HttpResponse<String> r = t.get("/nope");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("404 page not found\n");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    // a trailing slash is another path
    assertThat(t.get("/hello/").statusCode()).isEqualTo(404);
  }

  @Test
  void wrongMethodIs405() throws Exception {
    HttpResponse<String> r = t.post("/hello", "text/plain", "x");
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).hasValue("GET");
    assertThat(t.get("/echo").statusCode()).isEqualTo(405);
  }

  @Test
  void queryParamsAndTemplateVariablesAreDecoded() throws Exception {
    assertThat(t.get("/hello?name=a%20b").body()).isEqualTo("hello a b");
    assertThat(t.get("/hello?name=x+y").body()).isEqualTo("hello x y");
    assertThat(t.get("/label/service_name/values").body()).isEqualTo("service_name");
  }

  @Test
  void formBodyParamsComeBeforeQueryParams() throws Exception {
    HttpResponse<String> r = t.post("/params?q=fromurl", "application/x-www-form-urlencoded; charset=utf-8",
        "q=%7Bapp%3D%22x%22%7D&limit=5");
    assertThat(r.body()).isEqualTo("[{app=\"x\"}, fromurl]");
    // not a form: the body is not parsed
    assertThat(t.post("/params?q=u", "application/json", "q=b").body()).isEqualTo("[u]");
  }

  @Test
  void bodiesUpToTheLimitArrive() throws Exception {
    String body = "x".repeat(LIMIT);
    HttpResponse<String> r = t.post("/echo", "text/plain", body);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(body);
  }

  @Test
  void chunkedBodiesAreAggregated() throws Exception {
    byte[] body = "y".repeat(3000).getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r = t.send(t.request("/echo")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).hasSize(3000);
  }

  @Test
  void bodyOverTheLimitIs413WithAReadableMessage() throws Exception {
    HttpResponse<String> r = t.post("/echo", "text/plain", "x".repeat(LIMIT + 1));
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).isEqualTo(BodyLimitAggregator.tooLargeMessage(LIMIT) + "\n");
    assertThat(r.body()).contains("4096 bytes");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    // the connection is still usable (declared length: nothing was read yet)
    assertThat(t.get("/hello?name=z").body()).isEqualTo("hello z");
  }

  @Test
  void chunkedBodyOverTheLimitIs413() throws Exception {
    String raw = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        + chunk("a".repeat(3000)) + chunk("b".repeat(3000)) + "0\r\n\r\n";
    String answer = rawExchange(raw);
    assertThat(answer).startsWith("HTTP/1.1 413 ");
    assertThat(answer).contains("connection: close");
    assertThat(answer).endsWith(BodyLimitAggregator.tooLargeMessage(LIMIT) + "\n");
  }

  @Test
  void chunkedBodyOverTheLimitIs413WithTheJavaClient() throws Exception {
    byte[] body = new byte[LIMIT * 3];
    Arrays.fill(body, (byte) 'c');
    HttpResponse<String> r = t.send(t.request("/echo")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).contains("request body too large");
  }

  @Test
  void expectContinueOverTheLimitIsRefusedBeforeTheBody() throws Exception {
    // keep-alive request: the server still closes, since it cannot know whether the body follows
    String answer = rawExchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
        + "Expect: 100-continue\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 413 ");
    assertThat(answer).doesNotContain("100 Continue");
    assertThat(answer).endsWith(BodyLimitAggregator.tooLargeMessage(LIMIT) + "\n");
  }

  @Test
  void expectContinueUnderTheLimitGetsContinueThenTheAnswer() throws Exception {
    HttpResponse<String> r = t.send(t.request("/echo").expectContinue(true)
        .POST(HttpRequest.BodyPublishers.ofString("small")).build());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("small");
  }

  @Test
  void handlerExceptionIs500WithItsMessage() throws Exception {
    HttpResponse<String> r = t.get("/boom");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("handler exploded\n");
  }

  @Test
  void responsesFromOtherThreadsAreWritten() throws Exception {
    HttpResponse<String> r = t.get("/async");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).doesNotContain("lodge-http-io");
  }

  @Test
  void keepAliveServesManyRequestsOnOneConnection() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(t.get("/hello?name=" + i).body()).isEqualTo("hello " + i);
    }
    assertThat(t.server.connectionsAccepted()).isEqualTo(1);
  }

  @Test
  void pipelinedResponsesKeepRequestOrder() throws Exception {
    // the first request finishes last; its answer must still come first
    String raw = "GET /delay/300 HTTP/1.1\r\nHost: x\r\n\r\n"
        + "GET /delay/1 HTTP/1.1\r\nHost: x\r\n\r\n"
        + "GET /delay/50 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    String answer = rawExchange(raw);
    int a = answer.indexOf("\r\n\r\n300");
    int b = answer.indexOf("\r\n\r\n1");
    int c = answer.indexOf("\r\n\r\n50");
    assertThat(a).isPositive();
    assertThat(b).isGreaterThan(a);
    assertThat(c).isGreaterThan(b);
  }

  @Test
  void closeWaitsForInFlightRequests() throws Exception {
    CompletableFuture<HttpResponse<String>> pending =
        t.client.sendAsync(t.request("/slow").GET().build(), HttpResponse.BodyHandlers.ofString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (t.server.requestsInFlight() == 0 && System.nanoTime() < deadline) Thread.sleep(5);
    assertThat(t.server.requestsInFlight()).isEqualTo(1);
    AtomicReference<Throwable> closeFailure = new AtomicReference<>();
    Thread closer = new Thread(() -> {
      try {
        t.server.close(Duration.ofSeconds(10));
      } catch (Throwable e) {
        closeFailure.set(e);
      }
    });
    closer.start();
    Thread.sleep(100);
    assertThat(closer.isAlive()).as("close() waits for the in-flight request").isTrue();
    release.countDown();
    HttpResponse<String> r = pending.get(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("finally");
    closer.join(10_000);
    assertThat(closer.isAlive()).isFalse();
    assertThat(closeFailure.get()).isNull();
  }

  @Test
  void closeDoesNotWaitForIdleKeepAliveConnections() throws Exception {
    assertThat(t.get("/hello?name=a").statusCode()).isEqualTo(200); // leaves an idle pooled connection
    long start = System.nanoTime();
    // a drain bound far above the assertion's, which itself leaves a slow machine plenty of room
    t.server.close(Duration.ofSeconds(60));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    assertThat(t.server.requestsInFlight()).isZero();
  }

  @Test
  void malformedRequestIs400() throws Exception {
    String answer = rawExchange("GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 400 ");
  }

  @Test
  void bindFailureNamesTheAddress() throws Exception {
    ServerConfig d = ServerConfig.defaults();
    ServerConfig taken = new ServerConfig("127.0.0.1", t.server.port(),
        d.grpcListenAddress(), 0, d.grpcServerMaxRecvMsgSize(), 1024, "info", "logfmt");
    HttpServer second = new HttpServer(taken, new Router(), new TenantResolver(false, false),
        new HttpMetrics(new PrometheusRegistry()));
    assertThatThrownBy(second::start)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("127.0.0.1:" + t.server.port());
  }

  @Test
  void noContentHasNoBodyAndNoLength() throws Exception {
    String answer = rawExchange("GET /nocontent HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 204 ");
    assertThat(answer.toLowerCase(Locale.ROOT)).doesNotContain("content-length");
    assertThat(answer).endsWith("\r\n\r\n");
  }

  private static String chunk(String s) {
    return Integer.toHexString(s.length()) + "\r\n" + s + "\r\n";
  }

  /** Sends raw bytes and reads until the server closes the connection. */
  private String rawExchange(String raw) throws Exception {
    try (Socket s = new Socket("127.0.0.1", t.server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

}
