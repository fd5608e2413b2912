package io.lodge.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lodge.ingester.PushOutcome;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.lodge.ingester.push.PushDecodeException;
import io.lodge.server.tenant.TenantResolver;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.ResourceLeakDetector;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs every request path of the server (found, 404, 405, 413, handler failures, pushes, forms,
 * pipelining, clients vanishing mid-body) under Netty's PARANOID leak detection and checks that no
 * leak is reported. A deliberate leak first proves that the detector and the log capture work.
 */
class LeakDetectionTest {
  private ResourceLeakDetector.Level before;
  private final ListAppender<ILoggingEvent> leaks = new ListAppender<>();
  private Logger detectorLog;

  @BeforeEach
  void paranoid() {
    before = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    detectorLog = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
    leaks.start();
    detectorLog.addAppender(leaks);
    detectorLog.setAdditive(false); // the deliberate leak is expected: keep it off the console
  }

  @AfterEach
  void restore() {
    detectorLog.detachAppender(leaks);
    detectorLog.setAdditive(true);
    ResourceLeakDetector.setLevel(before);
  }

  @Test
  void noRequestPathLeaksBuffers() throws Exception {
    // buffers leaked by earlier test classes in this JVM are reported when collected: let them come first
    waitForLeakReports(false);
    leaks.list.clear();
    leakOneBufferOnPurpose();
    assertThat(waitForLeakReports(true)).as("the detector reports a deliberate leak")
        .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("leakOneBufferOnPurpose"));
    waitForLeakReports(false); // and anything else still in the detector's queue
    leaks.list.clear();

    RecordingPushService service = new RecordingPushService();
    service.answer = r -> CompletableFuture.completedFuture(
        r.entryCount() > 1 ? new PushOutcome(429, "rate limited") : PushOutcome.ok());
    try (BlockingWorkers workers = new BlockingWorkers("leak-test", 2, 16)) {
      Router router = new Router();
      new PushHandler((api, type, encoding, body) -> {
        String text = body.toString(StandardCharsets.UTF_8);
        if (text.startsWith("bad")) throw new PushDecodeException("bad body");
        return new PushRequest(List.of(new PushStream(LabelSet.of("a", "b"),
            text.lines().map(l -> LogEntry.of(1, l)).toList())));
      }, service, workers).register(router);
      router.add(Set.of(HttpMethod.POST), "/form", TenantPolicy.NONE,
          r -> CompletableFuture.completedFuture(Response.text(200, String.valueOf(r.param("q")))));
      router.get("/boom", r -> {
        throw new IllegalStateException("boom");
      });
      router.get("/fails", r -> CompletableFuture.failedFuture(new IllegalStateException("async boom")));
      try (TestServer t = new TestServer(router, 2048, new TenantResolver(true, false))) {
        for (int round = 0; round < 3; round++) {
          t.send(t.request("/loki/api/v1/push").header("X-Scope-OrgID", "t1")
              .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("one")).build());
          t.send(t.request("/loki/api/v1/push").header("X-Scope-OrgID", "t1")
              .POST(HttpRequest.BodyPublishers.ofString("one\ntwo")).build());
          t.send(t.request("/loki/api/v1/push").header("X-Scope-OrgID", "t1")
              .POST(HttpRequest.BodyPublishers.ofString("bad")).build());
          t.send(t.request("/loki/api/v1/push").POST(HttpRequest.BodyPublishers.ofString("no tenant")).build());
          t.send(t.request("/loki/api/v1/push").header("X-Scope-OrgID", "a|b")
              .POST(HttpRequest.BodyPublishers.ofString("two tenants")).build());
          t.post("/loki/api/v1/push", "text/plain", "x".repeat(5000));
          t.post("/form?q=1", "application/x-www-form-urlencoded", "q=2");
          t.post("/nowhere", "text/plain", "body for a 404");
          t.send(t.request("/form").method("PUT", HttpRequest.BodyPublishers.ofString("body for a 405")).build());
          t.get("/boom");
          t.get("/fails");
          rawSend(t, "POST /form HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "800\r\n" + "z".repeat(2048) + "\r\n800\r\n" + "z".repeat(2048) + "\r\n0\r\n\r\n");
          rawSend(t, "POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nonly part of the body");
          rawSend(t, "GET /boom HTTP/1.1\r\nHost: x\r\n\r\nGET /fails HTTP/1.1\r\nHost: x\r\n\r\n"
              + "POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nq=5");
        }
      }
    }
    assertThat(waitForLeakReports(false)).as("leak reports").isEmpty();
  }

  private static void leakOneBufferOnPurpose() {
    ByteBuf leaked = ByteBufAllocator.DEFAULT.directBuffer(64);
    leaked.writeLong(42);
    // dropped without release()
  }

  /** Collects garbage and allocates until leak reports appear (or, when none are expected, for a while). */
  private List<ILoggingEvent> waitForLeakReports(boolean expectSome) throws InterruptedException {
    for (int i = 0; i < (expectSome ? 200 : 30); i++) {
      System.gc();
      for (int j = 0; j < 20; j++) ByteBufAllocator.DEFAULT.directBuffer(16).release(); // polls the detector
      List<ILoggingEvent> found = leaks.list.stream()
          .filter(e -> e.getFormattedMessage().contains("LEAK")).toList();
      // PARANOID reports carry where the buffer was allocated: wait for the deliberate one
      if (expectSome && found.stream().anyMatch(e -> e.getFormattedMessage().contains("leakOneBufferOnPurpose"))) {
        return found;
      }
      Thread.sleep(10);
    }
    return leaks.list.stream().filter(e -> e.getFormattedMessage().contains("LEAK")).toList();
  }

  private static void rawSend(TestServer t, String raw) throws Exception {
    try (Socket s = new Socket("127.0.0.1", t.server.port())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      if (raw.contains("only part")) return; // vanish mid-body
      s.getInputStream().readAllBytes();
    } catch (java.net.SocketException e) {
      // the server may reset a connection it closed after a 413; that is the point of the exercise
    }
  }
}
