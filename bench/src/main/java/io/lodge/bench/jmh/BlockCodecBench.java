package io.lodge.bench.jmh;

import io.lodge.bench.load.LoghubLines;
import io.lodge.ingester.chunk.BlockBuilder;
import io.lodge.ingester.chunk.BlockReader;
import io.lodge.ingester.chunk.DecodedBlock;
import io.lodge.ingester.chunk.EncodedBlock;
import io.lodge.ingester.chunk.LineDictionary;
import io.lodge.ingester.chunk.TokenHashes;
import io.lodge.ingester.chunk.Tokens;
import io.lodge.ingester.model.Label;
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
 * zstd level 3 as the ingester uses. Scores are lines per second. {@code tokenScan*} time the token
 * filter's scan alone ({@link Tokens#addLine}, the part of {@code encode} that cuts lines into tokens and
 * collects their hashes): over the same block, laid out back to back in one buffer as the builder holds
 * it, and over a mix of all loghub systems (one 500-line block per system). {@code encodeWithDictionary}
 * and {@code decodeWithDictionary} do the same with a 512 KiB raw-content line dictionary of the system
 * (other lines of it with other req ids), as the ingester builds one per service.
 * {@code encodeColumnsWithLevels} is the head's own path: the column arrays encoded at once, each line
 * with its shared {@code detected_level} list, with the dictionary.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BlockCodecBench {
  static final int ENTRIES = 2000;
  static final int SYSTEMS = 16;
  static final int MIXED_PER_SYSTEM = 500;
  static final int MIXED_LINES = SYSTEMS * MIXED_PER_SYSTEM;

  private final BlockBuilder builder = new BlockBuilder(3);
  private final DecodedBlock decoded = new DecodedBlock();
  private byte[][] lines;
  private long[] timestamps;
  private EncodedBlock block;
  private LineDictionary dictionary;
  private EncodedBlock dictBlock;
  private final Tokens tokens = new Tokens();
  private final TokenHashes tokenSet = new TokenHashes();
  private byte[] lineBuf;
  private int[] lineLengths;
  private int[] lineEnds;
  private List<Label>[] levels;
  private byte[][] mixedBufs;
  private int[][] mixedLengths;

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
    dictionary = BenchFixtures.lineDictionary(pool, r);
    dictBlock = encodeWithDictionary();
    lineBuf = concat(lines);
    lineLengths = lengths(lines);
    lineEnds = new int[ENTRIES];
    for (int i = 0, end = 0; i < ENTRIES; i++) lineEnds[i] = end += lineLengths[i];
    levels = detectedLevels(lines);
    if (data.systemCount() != SYSTEMS) {
      throw new IllegalStateException("expected " + SYSTEMS + " loghub systems, found " + data.systemCount());
    }
    mixedBufs = new byte[SYSTEMS][];
    mixedLengths = new int[SYSTEMS][];
    for (int sys = 0; sys < SYSTEMS; sys++) {
      byte[][] from = data.lines(sys);
      byte[][] mixed = new byte[MIXED_PER_SYSTEM][];
      for (int i = 0; i < MIXED_PER_SYSTEM; i++) mixed[i] = BenchFixtures.withReq(from[r.nextInt(from.length)], r);
      mixedBufs[sys] = concat(mixed);
      mixedLengths[sys] = lengths(mixed);
    }
  }

  /**
   * Each line's {@code detected_level} metadata as the validator attaches it: one shared list per level
   * (found here by the line's own level word), so consecutive entries alternate between a few lists.
   */
  @SuppressWarnings("unchecked")
  private static List<Label>[] detectedLevels(byte[][] ls) {
    java.util.Map<String, List<Label>> shared = new java.util.HashMap<>();
    List<Label>[] out = (List<Label>[]) new List<?>[ls.length];
    for (int i = 0; i < ls.length; i++) {
      String line = new String(ls[i], StandardCharsets.UTF_8);
      String level = line.contains("INFO") ? "info" : line.contains("WARN") ? "warn" : line.contains("ERROR") ? "error" : "unknown";
      out[i] = shared.computeIfAbsent(level, l -> List.of(new Label("detected_level", l)));
    }
    return out;
  }

  private static byte[] concat(byte[][] ls) {
    int n = 0;
    for (byte[] l : ls) n += l.length;
    byte[] out = new byte[n];
    int p = 0;
    for (byte[] l : ls) {
      System.arraycopy(l, 0, out, p, l.length);
      p += l.length;
    }
    return out;
  }

  private static int[] lengths(byte[][] ls) {
    int[] out = new int[ls.length];
    for (int i = 0; i < ls.length; i++) out[i] = ls[i].length;
    return out;
  }

  /** One block's token scan as {@code BlockBuilder.encode} runs it; returns the estimated distinct tokens. */
  private int scan(byte[] buf, int[] lens) {
    tokenSet.clear();
    tokens.startBlock();
    for (int i = 0, p = 0; i < lens.length; i++) {
      tokens.addLine(buf, p, lens[i], tokenSet);
      p += lens[i];
    }
    return tokenSet.distinctEstimate();
  }

  @Benchmark
  @OperationsPerInvocation(ENTRIES)
  public int tokenScan() {
    return scan(lineBuf, lineLengths);
  }

  @Benchmark
  @OperationsPerInvocation(MIXED_LINES)
  public int tokenScanMixed() {
    int n = 0;
    for (int sys = 0; sys < mixedBufs.length; sys++) n += scan(mixedBufs[sys], mixedLengths[sys]);
    return n;
  }

  @Benchmark
  @OperationsPerInvocation(ENTRIES)
  public EncodedBlock encode() {
    builder.reset();
    for (int i = 0; i < ENTRIES; i++) builder.append(timestamps[i], lines[i], 0, lines[i].length, List.of());
    return builder.encode();
  }

  /**
   * The head's path: the block's columns encoded at once ({@code BlockBuilder.encode} of arrays, as
   * {@code ChunkBlockCodec} seals a frozen block), each line with its {@code detected_level} list, with the
   * dictionary.
   */
  @Benchmark
  @OperationsPerInvocation(ENTRIES)
  public EncodedBlock encodeColumnsWithLevels() {
    return builder.encode(timestamps, lineEnds, lineBuf, levels, ENTRIES, dictionary);
  }

  @Benchmark
  @OperationsPerInvocation(ENTRIES)
  public EncodedBlock encodeWithDictionary() {
    builder.reset();
    for (int i = 0; i < ENTRIES; i++) builder.append(timestamps[i], lines[i], 0, lines[i].length, List.of());
    return builder.encode(dictionary);
  }

  /**
   * What the ingester encodes while its open-block budget is exceeded: a full block, then the same lines
   * as eight early-sealed blocks of 250 lines (~32 KiB), all through the same pooled scratch (whose token
   * set the full block grew).
   */
  @Benchmark
  @OperationsPerInvocation(2 * ENTRIES)
  public EncodedBlock encodeFullAndEarlyBlocksWithDictionary() {
    return fullAndEarlyBlocks(dictionary);
  }

  /**
   * {@link #encodeFullAndEarlyBlocksWithDictionary} without the dictionary: the difference between the two
   * small-block costs is what loading the dictionary's tables into the compressor costs per block.
   */
  @Benchmark
  @OperationsPerInvocation(2 * ENTRIES)
  public EncodedBlock encodeFullAndEarlyBlocks() {
    return fullAndEarlyBlocks(null);
  }

  private EncodedBlock fullAndEarlyBlocks(LineDictionary dict) {
    EncodedBlock last = dict == null ? encode() : encodeWithDictionary();
    int small = ENTRIES / 8;
    for (int b = 0; b < 8; b++) {
      builder.reset();
      for (int i = b * small; i < (b + 1) * small; i++) builder.append(timestamps[i], lines[i], 0, lines[i].length, List.of());
      last = builder.encode(dict);
    }
    return last;
  }

  @Benchmark
  @OperationsPerInvocation(ENTRIES)
  public DecodedBlock decodeWithDictionary() {
    byte[] b = dictBlock.bytes();
    return BlockReader.open(b, 0, b.length, "bench", (tenant, id) -> dictionary, "bench").readEntries(decoded);
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
