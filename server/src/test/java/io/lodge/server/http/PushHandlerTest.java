package io.lodge.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.PushOutcome;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.lodge.ingester.push.PushApi;
import io.lodge.ingester.push.PushDecodeException;
import io.lodge.ingester.push.PushTooLargeException;
import io.lodge.server.tenant.TenantResolver;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PushHandlerTest {
  /** What the fake decoder saw. */
  record Decoded(PushApi api, String contentType, String contentEncoding, String body, String thread) {}

  private final List<Decoded> decoded = new CopyOnWriteArrayList<>();
  private final RecordingPushService service = new RecordingPushService();
  private final BlockingWorkers workers = new BlockingWorkers("push-test", 2, 16);
  private TestServer t;

  /** Lines of the body become entries of {job="test"}; "bad" and "huge" fail like the real decoder. */
  private PushRequest fakeDecode(PushApi api, String contentType, String contentEncoding, io.netty.buffer.ByteBuf body) {
    String text = body.toString(StandardCharsets.UTF_8);
    decoded.add(new Decoded(api, contentType, contentEncoding, text, Thread.currentThread().getName()));
    if (text.equals("bad")) throw new PushDecodeException("couldn't parse labels: 1:2: parse error: unexpected end of input");
    if (text.equals("huge")) throw new PushTooLargeException("decompressed body over the limit of 10 bytes");
    List<LogEntry> entries = new ArrayList<>();
    long ts = 1;
    for (String line : text.split("\n")) entries.add(LogEntry.of(ts++, line));
    return new PushRequest(List.of(new PushStream(LabelSet.of("job", "test"), entries)));
  }

  private void start(TenantResolver tenants) throws Exception {
    Router router = new Router();
    new PushHandler(this::fakeDecode, service, workers).register(router);
    t = new TestServer(router, 1 << 16, tenants);
  }

  @AfterEach
  void stop() {
    if (t != null) t.close();
    workers.close();
  }

  private HttpResponse<String> push(String path, String orgId, String body) throws Exception {
    HttpRequest.Builder b = t.request(path).header("Content-Type", "application/json")
        .header("Content-Encoding", "snappy").POST(HttpRequest.BodyPublishers.ofString(body));
    if (orgId != null) b.header("X-Scope-OrgID", orgId);
    return t.send(b.build());
  }

  /** The push is stored when its outcome completes: a worker pool that takes no more work must not turn it into a 503. */
  @Test
  void aStoredPushIsAnswered204EvenWhenTheWorkersTakeNoMoreWork() throws Exception {
    start(new TenantResolver(false, false));
    CompletableFuture<PushOutcome> stored = new CompletableFuture<>();
    service.answer = r -> stored;
    CompletableFuture<HttpResponse<String>> response = CompletableFuture.supplyAsync(() -> {
      try {
        return push("/loki/api/v1/push", null, "line one");
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (service.calls.isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
    assertThat(service.calls).hasSize(1);
    workers.close(); // from now on the pool rejects every task, as a full queue does
    stored.complete(PushOutcome.ok()); // as the WAL thread does once the record is durable
    assertThat(response.get(10, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(204);
  }

  @Test
  void acceptedPushIs204AndReachesTheServiceOffTheEventLoop() throws Exception {
    start(new TenantResolver(false, false));
    HttpResponse<String> r = push("/loki/api/v1/push", "ignored", "line one\nline two");
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    assertThat(service.calls).hasSize(1);
    assertThat(service.calls.get(0).tenant()).isEqualTo("fake");
    assertThat(service.calls.get(0).request().entryCount()).isEqualTo(2);
    Decoded d = decoded.get(0);
    assertThat(d.api()).isEqualTo(PushApi.V1);
    assertThat(d.contentType()).isEqualTo("application/json");
    assertThat(d.contentEncoding()).isEqualTo("snappy");
    assertThat(d.thread()).startsWith("lodge-push-test");
  }

  @Test
  void legacyPathUsesTheLegacyShape() throws Exception {
    start(new TenantResolver(false, false));
    assertThat(push("/api/prom/push", null, "x").statusCode()).isEqualTo(204);
    assertThat(decoded.get(0).api()).isEqualTo(PushApi.LEGACY);
  }

  @Test
  void decodeErrorsPassTheirStatusAndMessageThrough() throws Exception {
    start(new TenantResolver(false, false));
    HttpResponse<String> bad = push("/loki/api/v1/push", null, "bad");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).isEqualTo("couldn't parse labels: 1:2: parse error: unexpected end of input\n");
    assertThat(bad.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    HttpResponse<String> huge = push("/loki/api/v1/push", null, "huge");
    assertThat(huge.statusCode()).isEqualTo(413);
    assertThat(service.calls).isEmpty();
  }

  @Test
  void serviceOutcomesBecomeStatusAndMessage() throws Exception {
    start(new TenantResolver(false, false));
    service.answer = r -> CompletableFuture.completedFuture(new PushOutcome(429,
        "Ingestion rate limit exceeded for user fake (limit: 4194304 bytes/sec) while attempting to ingest '1' lines totaling '3' bytes, reduce log volume or contact your Loki administrator to see if the limit can be increased"));
    HttpResponse<String> r = push("/loki/api/v1/push", null, "abc");
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.body()).startsWith("Ingestion rate limit exceeded for user fake").endsWith("increased\n");

    service.answer = r2 -> CompletableFuture.completedFuture(new PushOutcome(400,
        "entry for stream '{job=\"test\"}' has timestamp too old"));
    HttpResponse<String> partial = push("/loki/api/v1/push", null, "abc");
    assertThat(partial.statusCode()).isEqualTo(400);
    assertThat(partial.body()).isEqualTo("entry for stream '{job=\"test\"}' has timestamp too old\n");
  }

  @Test
  void serviceFailureIs500() throws Exception {
    start(new TenantResolver(false, false));
    service.answer = r -> {
      throw new IllegalStateException("wal disk on fire");
    };
    HttpResponse<String> r = push("/loki/api/v1/push", null, "abc");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("wal disk on fire\n");

    service.answer = r2 -> CompletableFuture.failedFuture(new java.io.IOException("fsync failed"));
    HttpResponse<String> r3 = push("/loki/api/v1/push", null, "abc");
    assertThat(r3.statusCode()).isEqualTo(500);
    assertThat(r3.body()).isEqualTo("fsync failed\n");
  }

  @Test
  void tenantRulesApplyWithAuth() throws Exception {
    start(new TenantResolver(true, false));
    HttpResponse<String> none = push("/loki/api/v1/push", null, "x");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).isEqualTo("no org id\n");
    HttpResponse<String> two = push("/loki/api/v1/push", "a|b", "x");
    assertThat(two.statusCode()).isEqualTo(400);
    assertThat(two.body()).isEqualTo("multiple org IDs present\n");
    HttpResponse<String> same = push("/loki/api/v1/push", "team-a|team-a", "x");
    assertThat(same.statusCode()).isEqualTo(204);
    assertThat(service.calls).extracting(RecordingPushService.Call::tenant).containsExactly("team-a");
    assertThat(decoded).hasSize(1); // rejected tenants never reach the decoder
  }

  @Test
  void getOnPushPathIs405() throws Exception {
    start(new TenantResolver(false, false));
    assertThat(t.get("/loki/api/v1/push").statusCode()).isEqualTo(405);
  }
}
