package io.lodge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a real Lodge on a tiny tmpfs until the disk is full: pushes must then fail with 5xx (never a 204
 * that loses data), succeed again once space returns, and after a SIGKILL and restart every
 * acknowledged entry must be readable exactly once. Needs root to mount tmpfs (CI runs as root).
 */
class DiskFullTest {
  private static final long BASE_TS = System.currentTimeMillis() * 1_000_000L - Duration.ofMinutes(20).toNanos();

  @Test
  void fullDiskAnswers5xxAndLosesNothingAcknowledged(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", data.toString()) == 0,
        "needs root to mount a small tmpfs");
    try {
      Path config = dir.resolve("lodge.yaml");
      Files.writeString(config, """
          auth_enabled: false
          server:
            http_listen_address: 127.0.0.1
            grpc_listen_port: 0
          common:
            path_prefix: %s
          ingester:
            flush_check_period: 200ms
            chunk_target_size: 65536
            wal:
              segment_size: 262144
          limits_config:
            ingestion_rate_mb: 1000
            ingestion_burst_size_mb: 1000
            per_stream_rate_limit: 1GB
            per_stream_rate_limit_burst: 1GB
          """.formatted(data));
      LodgeProcess lodge = new LodgeProcess(config, dir.resolve("lodge.log"));
      TestLokiClient loki = new TestLokiClient(lodge::uri);
      Set<String> acked = new HashSet<>();
      Set<String> attempted = new HashSet<>();
      long[] seq = {0};
      try {
        lodge.start(Duration.ofSeconds(60));
        int failures = 0;
        for (int i = 0; i < 2000 && failures < 5; i++) {
          int status = pushBatch(loki, seq, acked, attempted);
          if (status >= 500) failures++;
          else assertThat(status).as("push %d", i).isEqualTo(204);
        }
        assertThat(failures).as("a full disk must surface as 5xx answers").isEqualTo(5);

        assertThat(run("mount", "-o", "remount,size=64m", data.toString())).isZero();
        int status = 0;
        for (int i = 0; i < 50 && status != 204; i++) {
          status = pushBatch(loki, seq, acked, attempted);
          if (status != 204) Thread.sleep(100);
        }
        assertThat(status).as("pushes succeed again once space returns; log:\n%s", lodge.tail()).isEqualTo(204);

        lodge.kill();
        lodge.start(Duration.ofSeconds(60));
        long end = System.currentTimeMillis() * 1_000_000L + Duration.ofMinutes(5).toNanos();
        Map<String, Integer> stored = loki.readAll("{job=\"diskfull\"}", BASE_TS - 1, end);
        List<String> missing = new ArrayList<>();
        for (String line : acked) if (stored.get(line) == null) missing.add(line);
        assertThat(missing).as("acknowledged entries lost; log:\n%s", lodge.tail()).isEmpty();
        assertThat(stored.values()).allMatch(n -> n == 1);
        assertThat(attempted).containsAll(stored.keySet());
      } finally {
        lodge.close();
      }
    } finally {
      run("umount", "-l", data.toString());
    }
  }

  private static int pushBatch(TestLokiClient loki, long[] seq, Set<String> acked, Set<String> attempted)
      throws IOException, InterruptedException {
    List<String> lines = new ArrayList<>();
    long[] ts = new long[100];
    for (int i = 0; i < ts.length; i++) {
      long n = seq[0]++;
      // incompressible-ish payload so the small disk fills quickly
      lines.add("seq=" + n + " payload=" + Long.toHexString(n * 0x9E3779B97F4A7C15L) + "-".repeat(200)
          + Long.toHexString(Long.rotateLeft(n * 0xC2B2AE3D27D4EB4FL, 17)));
      ts[i] = BASE_TS + n;
    }
    attempted.addAll(lines);
    HttpResponse<String> r = loki.push(TestLokiClient.jsonPush("{\"job\":\"diskfull\"}", lines, ts));
    if (r.statusCode() == 204) acked.addAll(lines);
    return r.statusCode();
  }

  private static int run(String... cmd) throws IOException, InterruptedException {
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start().waitFor();
  }
}
