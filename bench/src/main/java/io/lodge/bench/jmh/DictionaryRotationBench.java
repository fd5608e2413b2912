package io.lodge.bench.jmh;

import io.lodge.bench.load.LoghubLines;
import io.lodge.ingester.chunk.BlockBuilder;
import io.lodge.ingester.chunk.EncodedBlock;
import io.lodge.ingester.chunk.LineDictionary;
import io.lodge.ingester.model.Label;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Sealing the blocks of many services, each with its own 512 KiB raw-content line dictionary, as the
 * head does at full ingest: 16 loghub systems, four blocks of 1,250 lines (~190 KB, the size the head
 * cuts at its 256 KiB target) each, encoded in the order {@code run} says: 1 = the service changes with
 * every block (its dictionary's tables are cold each time), 4 = each service's four blocks in a row, as
 * the sealer orders a batch. Scores are lines per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DictionaryRotationBench {
  static final int SYSTEMS = 16;
  static final int BLOCKS_PER_SYSTEM = 4;
  static final int LINES = 1250;
  static final int BLOCKS = SYSTEMS * BLOCKS_PER_SYSTEM;

  /** Blocks of one service in a row. */
  @Param({"1", "4"})
  public int run;

  private final BlockBuilder builder = new BlockBuilder(3);
  private final long[] timestamps = new long[LINES];
  @SuppressWarnings("unchecked")
  private final List<Label>[] metadata = (List<Label>[]) new List<?>[LINES];
  private LineDictionary[] dictionaries;
  private byte[][] blockLines; // [block] lines back to back
  private int[][] blockEnds;
  private int[] order; // block indexes in encoding order

  @Setup
  public void setup() {
    LoghubLines data = BenchFixtures.lines();
    if (data.systemCount() != SYSTEMS) {
      throw new IllegalStateException("expected " + SYSTEMS + " loghub systems, found " + data.systemCount());
    }
    SplittableRandom r = new SplittableRandom(17);
    dictionaries = new LineDictionary[SYSTEMS];
    blockLines = new byte[BLOCKS][];
    blockEnds = new int[BLOCKS][];
    for (int sys = 0; sys < SYSTEMS; sys++) {
      byte[][] pool = data.lines(sys);
      dictionaries[sys] = BenchFixtures.lineDictionary(pool, r);
      for (int b = 0; b < BLOCKS_PER_SYSTEM; b++) {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        int[] ends = new int[LINES];
        for (int i = 0; i < LINES; i++) {
          lines.writeBytes(BenchFixtures.withReq(pool[r.nextInt(pool.length)], r));
          ends[i] = lines.size();
        }
        blockLines[sys * BLOCKS_PER_SYSTEM + b] = lines.toByteArray();
        blockEnds[sys * BLOCKS_PER_SYSTEM + b] = ends;
      }
    }
    long ts = 1_700_000_000_000_000_000L;
    for (int i = 0; i < LINES; i++) timestamps[i] = ts += 1_000_000;
    Arrays.fill(metadata, List.of());
    order = new int[BLOCKS];
    int k = 0;
    for (int round = 0; round < BLOCKS_PER_SYSTEM / run; round++) {
      for (int sys = 0; sys < SYSTEMS; sys++) {
        for (int j = 0; j < run; j++) order[k++] = sys * BLOCKS_PER_SYSTEM + round * run + j;
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(BLOCKS * LINES)
  public long encodeServicesInTurn() {
    long bytes = 0;
    for (int b : order) {
      EncodedBlock e = builder.encode(timestamps, blockEnds[b], blockLines[b], metadata, LINES,
          dictionaries[b / BLOCKS_PER_SYSTEM]);
      bytes += e.bytes().length;
    }
    return bytes;
  }
}
