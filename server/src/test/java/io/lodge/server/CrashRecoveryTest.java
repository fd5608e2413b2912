package io.lodge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real Lodge child JVM with SIGKILL at random moments while several clients push, restarts it
 * on the same data, and checks through the query API that every entry acknowledged with 204 is there
 * exactly once and that nothing was invented. Small chunks and a fast flush make the kills land during
 * flushes and WAL truncation too.
 */
class CrashRecoveryTest {
  private static final int CLIENTS = 4;
  private static final int ROUNDS = 6;
  private static final long BASE_TS = System.currentTimeMillis() * 1_000_000L - Duration.ofMinutes(30).toNanos();

  @Test
  void everyAcknowledgedEntrySurvivesSigkillExactlyOnce(@TempDir Path dir) throws Exception {
    long seed = Long.getLong("lodge.test.seed", System.nanoTime());
    Random rnd = new Random(seed);
    Path config = writeConfig(dir);
    Set<String> acked = ConcurrentHashMap.newKeySet();
    Set<String> attempted = ConcurrentHashMap.newKeySet();
    AtomicLong[] seq = new AtomicLong[CLIENTS];
    for (int c = 0; c < CLIENTS; c++) seq[c] = new AtomicLong();

    LodgeProcess lodge = new LodgeProcess(config, dir.resolve("lodge.log"));
    TestLokiClient loki = new TestLokiClient(lodge::uri);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        lodge.start(Duration.ofSeconds(60));
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> pushers = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          int client = c;
          Thread t = new Thread(() -> pushUntilStopped(loki, client, seq[client], stop, acked, attempted));
          t.start();
          pushers.add(t);
        }
        Thread.sleep(300 + rnd.nextInt(1200));
        lodge.kill();
        stop.set(true);
        for (Thread t : pushers) t.join(30_000);
      }
      lodge.start(Duration.ofSeconds(60));
      long end = System.currentTimeMillis() * 1_000_000L + Duration.ofMinutes(5).toNanos();
      Map<String, Integer> stored = loki.readAll("{job=\"crash\"}", BASE_TS - 1, end);
      assertThat(acked).as("seed %d: some pushes must have been acknowledged", seed).isNotEmpty();
      List<String> missing = new ArrayList<>();
      for (String line : acked) if (!stored.containsKey(line)) missing.add(line);
      assertThat(missing).as("seed %d: acknowledged entries missing after crashes; log:\n%s", seed, lodge.tail()).isEmpty();
      Map<String, Integer> duplicated = new HashMap<>();
      stored.forEach((line, n) -> {
        if (n > 1) duplicated.put(line, n);
      });
      assertThat(duplicated).as("seed %d: entries stored more than once", seed).isEmpty();
      Set<String> invented = new HashSet<>(stored.keySet());
      invented.removeAll(attempted);
      assertThat(invented).as("seed %d: entries nobody pushed", seed).isEmpty();
      assertThat(lodge.stop()).isZero();
    } finally {
      lodge.close();
    }
  }

  private Path writeConfig(Path dir) throws IOException {
    Path config = dir.resolve("lodge.yaml");
    Files.writeString(config, """
        auth_enabled: false
        server:
          http_listen_address: 127.0.0.1
          grpc_listen_port: 0
        common:
          path_prefix: %s
        ingester:
          flush_check_period: 100ms
          chunk_idle_period: 1s
          chunk_target_size: 16384
          chunk_block_size: 4096
          wal:
            segment_size: 65536
        limits_config:
          ingestion_rate_mb: 1000
          ingestion_burst_size_mb: 1000
          per_stream_rate_limit: 1GB
          per_stream_rate_limit_burst: 1GB
        """.formatted(dir.resolve("data")));
    return config;
  }

  private static void pushUntilStopped(TestLokiClient client, int clientId, AtomicLong seq, AtomicBoolean stop,
      Set<String> acked, Set<String> attempted) {
    while (!stop.get()) {
      List<String> lines = new ArrayList<>();
      long[] timestamps = new long[20];
      for (int i = 0; i < timestamps.length; i++) {
        long n = seq.getAndIncrement();
        lines.add("client=" + clientId + " seq=" + n + " msg=\"crash test entry\"");
        timestamps[i] = BASE_TS + n * CLIENTS + clientId; // unique per entry, rising per client
      }
      attempted.addAll(lines);
      try {
        // odd clients push snappy protobuf, whose WAL records keep the body instead of every line
        int status = clientId % 2 == 1
            ? client.push(TestLokiClient.protobufPush("{job=\"crash\", client=\"c" + clientId + "\"}", lines, timestamps))
                .statusCode()
            : client.push(TestLokiClient.jsonPush("{\"job\":\"crash\",\"client\":\"c" + clientId + "\"}", lines,
                timestamps)).statusCode();
        if (status == 204) acked.addAll(lines);
      } catch (IOException killed) {
        return; // the server died under us: this batch is unacknowledged
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
