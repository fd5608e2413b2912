package io.lodge.bench.jmh;

import io.lodge.bench.load.IngestRun;
import io.lodge.bench.load.LoghubLines;
import io.lodge.bench.load.PushBodyGenerator;
import io.lodge.config.ConfigLoader;
import io.lodge.config.LimitsConfig;
import io.lodge.config.LodgeConfig;
import io.lodge.ingester.chunk.LineDictionary;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.push.PushApi;
import io.lodge.ingester.push.PushBodyDecoder;
import io.lodge.ingester.wal.PushRecordCodec;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Shared inputs of the micro-benchmarks: loghub lines, push bodies, model requests and a bench config. */
final class BenchFixtures {
  static final int LINES_PER_PUSH = 1000;
  static final int STREAMS = 100;

  private BenchFixtures() {}

  static LoghubLines lines() {
    return LoghubLines.load(LoghubLines.locate(null));
  }

  /** Lines per loghub system in {@link #firstLinesOfEachSystem}. */
  static final int LINES_PER_SYSTEM = 1000;
  /** Lines {@link #firstLinesOfEachSystem} returns: 16 systems of {@link #LINES_PER_SYSTEM}. */
  static final int SYSTEM_LINES = 16 * LINES_PER_SYSTEM;

  /** The first {@link #LINES_PER_SYSTEM} lines of each loghub system, system after system. */
  static byte[][] firstLinesOfEachSystem(LoghubLines data) {
    byte[][] out = new byte[SYSTEM_LINES][];
    for (int i = 0; i < SYSTEM_LINES; i++) {
      byte[][] pool = data.lines(i / LINES_PER_SYSTEM % data.systemCount());
      out[i] = pool[i % LINES_PER_SYSTEM % pool.length];
    }
    return out;
  }

  /** {@code line} with the load generator's {@code " req=<8 hex digits>"} suffix. */
  static byte[] withReq(byte[] line, SplittableRandom r) {
    byte[] req = String.format(" req=%08x", r.nextInt()).getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(line, line.length + req.length);
    System.arraycopy(req, 0, out, line.length, req.length);
    return out;
  }

  /**
   * {@code line} as a JSON log object ({@code ts}, {@code caller}, then the line as {@code msg}; quotes and
   * backslashes of the line turned into plain text so that it needs no escaping).
   */
  static byte[] asJson(byte[] line) {
    return ("{\"ts\":\"2024-01-01T00:00:00Z\",\"caller\":\"main.go:12\",\"msg\":\"" + plainText(line) + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** {@code line} as a logfmt record with the same fields as {@link #asJson}. */
  static byte[] asLogfmt(byte[] line) {
    return ("ts=2024-01-01T00:00:00Z caller=main.go:12 msg=\"" + plainText(line) + "\"").getBytes(StandardCharsets.UTF_8);
  }

  private static String plainText(byte[] line) {
    return new String(line, StandardCharsets.UTF_8).replace("\\", "").replace("\"", "'");
  }

  /**
   * A 512 KiB raw-content line dictionary of random lines of {@code pool} with req suffixes, joined by
   * newlines: what the ingester samples for a service by default.
   */
  static LineDictionary lineDictionary(byte[][] pool, SplittableRandom r) {
    ByteArrayOutputStream sample = new ByteArrayOutputStream();
    while (sample.size() < 512 << 10) {
      sample.writeBytes(withReq(pool[r.nextInt(pool.length)], r));
      sample.write('\n');
    }
    return new LineDictionary(Arrays.copyOf(sample.toByteArray(), 512 << 10));
  }

  /** A body generator over {@code streams} streams labelled as the load generator's, 10 streams per push. */
  static PushBodyGenerator generator(LoghubLines data, int streams, long seed) {
    String[] labels = new String[streams];
    int[] systems = new int[streams];
    for (int i = 0; i < streams; i++) {
      labels[i] = IngestRun.streamLabels(data, i);
      systems[i] = i % data.systemCount();
    }
    long[] clock = {1_700_000_000_000_000_000L};
    // a synthetic clock: reproducible bodies; the ingester below accepts old samples (see config)
    return new PushBodyGenerator(data, labels, systems, LINES_PER_PUSH, 10, seed, () -> clock[0] += 1_000_000L);
  }

  static PushBodyDecoder decoder() {
    return new PushBodyDecoder(LimitsConfig.defaults(), 256L << 20);
  }

  /** The WAL record the distributor writes (tenant {@code fake}) for the next body of {@code bodies}. */
  static byte[] walRecord(PushBodyDecoder decoder, PushBodyGenerator bodies) {
    return PushRecordCodec.encode("fake", decode(decoder, bodies.next().body()));
  }

  /** Decodes a generated protobuf body into the ingester's model. */
  static PushRequest decode(PushBodyDecoder decoder, byte[] body) {
    return decoder.decode(PushApi.V1, "application/x-protobuf", null, Unpooled.wrappedBuffer(body));
  }

  /**
   * A config for an in-process ingester under {@code dir}: limits raised so the benchmark measures the
   * engine, not the rate limiter; old samples accepted because the bodies use a fixed synthetic clock.
   */
  static LodgeConfig config(Path dir, boolean walSync) {
    String yaml = """
        auth_enabled: false
        server:
          http_listen_address: 127.0.0.1
          http_listen_port: 0
          grpc_listen_port: 0
        common:
          path_prefix: %s
        ingester:
          wal:
            sync: %s
        limits_config:
          ingestion_rate_mb: 100000
          ingestion_burst_size_mb: 100000
          per_stream_rate_limit: 10GB
          per_stream_rate_limit_burst: 10GB
          reject_old_samples: false
        """.formatted(dir, walSync);
    return ConfigLoader.fromYaml(yaml, "bench.yaml").config();
  }

  static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
