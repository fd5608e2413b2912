package io.lodge.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /flush} over real HTTP: runs the flush off the event loop, 204 on success, 500 on failure. */
class FlushHandlerTest {
  private final AtomicInteger flushes = new AtomicInteger();
  private final AtomicReference<String> flushThread = new AtomicReference<>();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final ExecutorService workers = Executors.newSingleThreadExecutor(r -> new Thread(r, "flush-worker"));
  private TestServer t;

  @BeforeEach
  void start() throws Exception {
    Router router = new Router();
    t = new TestServer(router);
    new FlushHandler(() -> {
      flushThread.set(Thread.currentThread().getName());
      RuntimeException e = failure.get();
      if (e != null) throw e;
      return flushes.incrementAndGet();
    }, workers).register(router);
  }

  @AfterEach
  void stop() {
    t.close();
    workers.shutdownNow();
  }

  @Test
  void postFlushesOnTheWorkersAndAnswers204() throws Exception {
    assertThat(t.post("/flush", "text/plain", "").statusCode()).isEqualTo(204);
    assertThat(t.post("/flush", "text/plain", "").statusCode()).isEqualTo(204);
    assertThat(flushes.get()).isEqualTo(2);
    assertThat(flushThread.get()).isEqualTo("flush-worker");
  }

  @Test
  void getIsNotAllowedAndDoesNotFlush() throws Exception {
    assertThat(t.get("/flush").statusCode()).isEqualTo(405);
    assertThat(flushes.get()).isZero();
  }

  @Test
  void aFailedFlushAnswers500() throws Exception {
    failure.set(new IllegalStateException("disk full"));
    var r = t.post("/flush", "text/plain", "");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(flushes.get()).isZero();
  }
}
