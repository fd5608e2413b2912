package io.lodge.bench.jmh;

import io.lodge.bench.load.LoghubLines;
import io.lodge.ingester.chunk.BlockBuilder;
import io.lodge.ingester.chunk.BlockReader;
import io.lodge.ingester.chunk.DecodedBlock;
import io.lodge.ingester.chunk.EncodedBlock;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Block encoding and decoding ({@link BlockBuilder}, {@link BlockReader}) at the head's default block
 * size: 2000 lines (about 256 KB raw) of one loghub system with req ids, as one stream's block holds them,
 * zstd level 3 as the ingester uses. Scores are lines per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BlockCodecBench {
  static final int ENTRIES = 2000;

  private final BlockBuilder builder = new BlockBuilder(3);
  private final DecodedBlock decoded = new DecodedBlock();
  private byte[][] lines;
  private long[] timestamps;
  private EncodedBlock block;

  @Setup
  public void setup() {
    LoghubLines data = BenchFixtures.lines();
    int system = 0;
    for (int i = 0; i < data.systemCount(); i++) if (data.system(i).equals("HDFS")) system = i;
    byte[][] pool = data.lines(system);
    SplittableRandom r = new SplittableRandom(11);
    lines = new byte[ENTRIES][];
    timestamps = new long[ENTRIES];
    long ts = 1_700_000_000_000_000_000L;
    for (int i = 0; i < ENTRIES; i++) {
      String req = String.format(" req=%08x", r.nextInt());
      byte[] src = pool[r.nextInt(pool.length)];
      byte[] l = new byte[src.length + req.length()];
      System.arraycopy(src, 0, l, 0, src.length);
      System.arraycopy(req.getBytes(StandardCharsets.US_ASCII), 0, l, src.length, req.length());
      lines[i] = l;
      ts += 1 + r.nextInt(1_000_000);
      timestamps[i] = ts;
    }
    block = encode();
  }

  @Benchmark
  @OperationsPerInvocation(ENTRIES)
  public EncodedBlock encode() {
    builder.reset();
    for (int i = 0; i < ENTRIES; i++) builder.append(timestamps[i], lines[i], 0, lines[i].length, List.of());
    return builder.encode();
  }

  @Benchmark
  @OperationsPerInvocation(ENTRIES)
  public DecodedBlock decode() {
    byte[] b = block.bytes();
    return BlockReader.open(b, 0, b.length, "bench").readEntries(decoded);
  }

  @Benchmark
  @OperationsPerInvocation(ENTRIES)
  public DecodedBlock decodeTimestampsOnly() {
    byte[] b = block.bytes();
    return BlockReader.open(b, 0, b.length, "bench").readTimestamps(decoded);
  }
}
