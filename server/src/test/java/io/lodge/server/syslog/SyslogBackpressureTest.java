package io.lodge.server.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.config.SyslogConfig;
import io.lodge.ingester.PushOutcome;
import io.lodge.ingester.PushService;
import io.lodge.ingester.model.PushRequest;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * TCP backpressure over a real socket: while the push service refuses with 429, the receiver stops
 * reading (its queue stays bounded while the sender keeps writing into the kernel buffers); once the
 * service recovers, every message arrives exactly once and in order.
 */
class SyslogBackpressureTest {
  /** Answers 429 while {@code refusing}, else stores the request and answers 204. */
  private static final class FlakyService implements PushService {
    volatile boolean refusing = true;
    final AtomicInteger refusals = new AtomicInteger();
    final List<String> stored = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<PushOutcome> push(String tenant, PushRequest request) {
      if (refusing) {
        refusals.incrementAndGet();
        return CompletableFuture.completedFuture(new PushOutcome(429, "Ingestion rate limit exceeded"));
      }
      request.streams().forEach(s -> s.entries().forEach(e -> stored.add(e.lineString())));
      return CompletableFuture.completedFuture(PushOutcome.ok());
    }
  }

  @Test
  void aRefusingIngesterStopsTcpReadingAndNothingIsLost() throws Exception {
    FlakyService service = new FlakyService();
    int batch = 500;
    SyslogConfig config = new SyslogConfig(true, "127.0.0.1", 0, -1, 8192, Duration.ofMillis(300), false, "UTC",
        "fake", List.of(), List.of("job=syslog"), batch, Duration.ofMillis(10));
    SyslogMetrics metrics = new SyslogMetrics(new PrometheusRegistry());
    int total = 20_000; // ~20 MB: far more than loopback socket buffers hold, in few batches
    try (SyslogServer server = new SyslogServer(config, service, metrics, Clock.systemUTC())) {
      server.start();
      Thread writer;
      try (Socket s = new Socket("127.0.0.1", server.tcpPort())) {
        OutputStream out = s.getOutputStream();
        writer = Thread.ofPlatform().start(() -> {
          try {
            for (int i = 0; i < total; i++) {
              out.write(("<13>1 - h app - - - message number " + i + " " + "p".repeat(1000) + "\n")
                  .getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
        // the queue fills to the high watermark, then reading stops: it stays bounded however long we wait
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.queued() < 4L * batch && System.nanoTime() < deadline) Thread.sleep(5);
        Thread.sleep(700); // longer than the idle timeout: a paused connection must not be closed
        long queued = server.queued();
        // bounded by the high watermark plus what the last socket reads held, far below what was sent
        assertThat(queued).isGreaterThanOrEqualTo(4L * batch).isLessThan(4L * batch + 5_000);
        assertThat(service.refusals.get()).isPositive();
        assertThat(writer.isAlive()).as("the sender is blocked by TCP flow control").isTrue();
        service.refusing = false;
        writer.join(Duration.ofSeconds(60).toMillis());
        assertThat(writer.isAlive()).isFalse();
        deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (service.stored.size() < total && System.nanoTime() < deadline) Thread.sleep(10);
      }
      assertThat(service.stored).hasSize(total);
      for (int i = 0; i < total; i++) assertThat(service.stored.get(i)).startsWith("message number " + i + " ");
      assertThat(metrics.droppedCount("push_failed")).isZero();
    }
  }
}
