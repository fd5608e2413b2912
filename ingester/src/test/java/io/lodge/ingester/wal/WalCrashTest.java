package io.lodge.ingester.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent appenders against crashes (a snapshot of the directory taken while writing, as kill -9
 * would leave it) and injected I/O failures: replay returns exactly the acknowledged records, in WAL order.
 */
class WalCrashTest {
  @TempDir Path tmp;
  final WalMetrics metrics = new WalMetrics(new PrometheusRegistry());

  @Test
  void snapshotsTakenMidWriteReplayEveryAcknowledgedRecord() throws Exception {
    Path dir = tmp.resolve("wal");
    ConcurrentSkipListMap<WalPosition, byte[]> acked = new ConcurrentSkipListMap<>();
    List<CompletableFuture<?>> futures = Collections.synchronizedList(new ArrayList<>());
    try (WalWriter w = new WalWriter(dir, new WalOptions(true, 4096), metrics)) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      for (int t = 0; t < 4; t++) {
        int seed = t;
        pool.execute(() -> {
          Random r = new Random(seed);
          for (int i = 0; i < 150; i++) {
            byte[] p = new byte[1 + r.nextInt(100)];
            r.nextBytes(p);
            futures.add(w.append(p, pos -> acked.put(pos, p)));
          }
        });
      }
      for (int snap = 0; snap < 5; snap++) {
        Thread.sleep(5);
        // Everything acknowledged before the copy starts must survive it.
        Map<WalPosition, byte[]> before = new TreeMap<>(acked);
        Path copy = crashCopy(dir, tmp.resolve("snap" + snap));
        List<WalPosition> got = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        WalReplay.replay(copy, false, (pos, p) -> {
          got.add(pos);
          payloads.add(p);
        });
        assertThat(got).containsAll(before.keySet()).isSorted();
        for (int i = 0; i < got.size(); i++) {
          if (before.containsKey(got.get(i))) assertThat(payloads.get(i)).isEqualTo(before.get(got.get(i)));
        }
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      futures.forEach(CompletableFuture::join);
    }
    List<WalPosition> all = new ArrayList<>();
    WalReplay.replay(dir, false, (pos, p) -> all.add(pos));
    assertThat(all).containsExactlyElementsOf(acked.keySet());
  }

  @Test
  void concurrentAppendsWithRandomFailuresReplayExactlyTheSuccessfulOnes() throws Exception {
    Path dir = tmp.resolve("faulty");
    FaultyChannels channels = new FaultyChannels();
    ConcurrentSkipListMap<WalPosition, byte[]> acked = new ConcurrentSkipListMap<>();
    List<CompletableFuture<?>> futures = Collections.synchronizedList(new ArrayList<>());
    try (WalWriter w = new WalWriter(dir, new WalOptions(true, 2048), metrics, channels)) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      for (int t = 0; t < 4; t++) {
        int seed = t;
        pool.execute(() -> {
          Random r = new Random(seed);
          for (int i = 0; i < 100; i++) {
            if (seed == 0 && r.nextInt(8) == 0) {
              switch (r.nextInt(3)) {
                case 0 -> channels.failWrites.set(1);
                case 1 -> channels.failForces.set(1);
                default -> {
                  channels.failForces.set(1);
                  channels.failTruncates.set(1);
                }
              }
            }
            byte[] p = new byte[1 + r.nextInt(100)];
            r.nextBytes(p);
            futures.add(w.append(p, pos -> acked.put(pos, p)));
          }
        });
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      int failed = 0;
      for (CompletableFuture<?> f : futures) {
        try {
          f.join();
        } catch (RuntimeException e) {
          assertThat(e.getCause()).isInstanceOf(WalWriteException.class);
          failed++;
        }
      }
      assertThat(failed + acked.size()).isEqualTo(400);
    }
    List<WalPosition> got = new ArrayList<>();
    List<byte[]> payloads = new ArrayList<>();
    WalReplay.replay(dir, false, (pos, p) -> {
      got.add(pos);
      payloads.add(p);
    });
    assertThat(got).containsExactlyElementsOf(acked.keySet());
    assertThat(payloads).containsExactlyElementsOf(acked.values());
  }

  /** Copies segments newest first: older ones are closed before a newer one exists, as after a crash. */
  private static Path crashCopy(Path dir, Path to) throws IOException {
    Files.createDirectories(to);
    for (Map.Entry<Long, Path> e : WalFormat.listSegments(dir).descendingMap().entrySet()) {
      Files.write(to.resolve(e.getValue().getFileName()), Files.readAllBytes(e.getValue()));
    }
    return to;
  }
}
