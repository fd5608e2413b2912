package io.lodge.server.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.PushOutcome;
import io.lodge.ingester.PushService;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Batching, retries on 429/5xx, no retry on 400, and the saturation that stops TCP and drops UDP. */
class SyslogBatcherTest {
  private static final LabelSet LABELS = LabelSet.of("job", "syslog");

  /** A push service the test answers by hand, in order. */
  private static final class ScriptedService implements PushService {
    final LinkedBlockingQueue<CompletableFuture<PushOutcome>> calls = new LinkedBlockingQueue<>();
    final List<PushRequest> requests = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<PushOutcome> push(String tenant, PushRequest request) {
      CompletableFuture<PushOutcome> f = new CompletableFuture<>();
      requests.add(request);
      calls.add(f);
      return f;
    }

    CompletableFuture<PushOutcome> next() throws InterruptedException {
      CompletableFuture<PushOutcome> f = calls.poll(30, TimeUnit.SECONDS);
      assertThat(f).as("a push arrived").isNotNull();
      return f;
    }
  }

  private static List<String> lines(PushRequest r) {
    List<String> out = new ArrayList<>();
    r.streams().forEach(s -> s.entries().forEach(e -> out.add(e.lineString())));
    return out;
  }

  @Test
  void fullBatchesAreCutAtBatchSizeAndRetriedOn429And5xx() throws Exception {
    ScriptedService service = new ScriptedService();
    SyslogMetrics metrics = new SyslogMetrics(new PrometheusRegistry());
    try (SyslogBatcher b = new SyslogBatcher(service, "t", 3, Duration.ofSeconds(60), metrics)) {
      for (int i = 0; i < 3; i++) assertThat(b.offer(LABELS, LogEntry.of(i, "line " + i), false)).isTrue();
      service.next().complete(new PushOutcome(429, "Ingestion rate limit exceeded"));
      service.next().complete(new PushOutcome(503, "not ready"));
      service.next().complete(PushOutcome.ok());
      assertThat(service.requests).hasSize(3);
      for (PushRequest r : service.requests) assertThat(lines(r)).containsExactly("line 0", "line 1", "line 2");
      waitFor(() -> b.queued() == 0);
      assertThat(metrics.droppedCount("push_failed")).isZero();
    }
  }

  @Test
  void a400IsNotRetriedAndPartialBatchesGoOnTheTimer() throws Exception {
    ScriptedService service = new ScriptedService();
    SyslogMetrics metrics = new SyslogMetrics(new PrometheusRegistry());
    try (SyslogBatcher b = new SyslogBatcher(service, "t", 1000, Duration.ofMillis(10), metrics)) {
      b.offer(LABELS, LogEntry.of(1, "too old"), false);
      service.next().complete(new PushOutcome(400, "entry too old"));
      b.offer(LABELS, LogEntry.of(2, "next"), false);
      service.next().complete(PushOutcome.ok());
      assertThat(service.requests).extracting(SyslogBatcherTest::lines)
          .containsExactly(List.of("too old"), List.of("next"));
    }
  }

  @Test
  void saturationDropsUdpAndResumesTcpWhenTheQueueDrains() throws Exception {
    ScriptedService service = new ScriptedService();
    SyslogMetrics metrics = new SyslogMetrics(new PrometheusRegistry());
    AtomicInteger resumed = new AtomicInteger();
    try (SyslogBatcher b = new SyslogBatcher(service, "t", 2, Duration.ofSeconds(60), metrics)) {
      b.onResume(resumed::incrementAndGet);
      for (int i = 0; i < 8; i++) b.offer(LABELS, LogEntry.of(i, "l" + i), false); // 4 x batch size
      assertThat(b.saturated()).isTrue();
      assertThat(b.offer(LABELS, LogEntry.of(9, "udp"), true)).as("UDP is refused when saturated").isFalse();
      assertThat(b.offer(LABELS, LogEntry.of(10, "tcp"), false)).as("TCP bytes already read are kept").isTrue();
      service.next().complete(PushOutcome.ok());
      waitFor(() -> !b.saturated());
      assertThat(b.offer(LABELS, LogEntry.of(11, "udp again"), true)).isTrue();
      for (int i = 0; i < 4; i++) service.next().complete(PushOutcome.ok());
      waitFor(() -> resumed.get() > 0);
      List<String> all = new ArrayList<>();
      service.requests.forEach(r -> all.addAll(lines(r)));
      assertThat(all).containsExactly("l0", "l1", "l2", "l3", "l4", "l5", "l6", "l7", "tcp", "udp again");
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition met in time").isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}
