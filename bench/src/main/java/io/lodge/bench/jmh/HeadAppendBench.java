package io.lodge.bench.jmh;

import io.lodge.bench.BenchFiles;
import io.lodge.bench.load.PushBodyGenerator;
import io.lodge.ingester.Ingester;
import io.lodge.ingester.PushOutcome;
import io.lodge.ingester.chunk.ChunkBlockCodec;
import io.lodge.ingester.head.ApplyResult;
import io.lodge.ingester.head.FlushPolicy;
import io.lodge.ingester.head.Head;
import io.lodge.ingester.head.MemStream;
import io.lodge.ingester.head.ReplayMarks;
import io.lodge.ingester.head.Sealer;
import io.lodge.ingester.index.HeadIndex;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.lodge.ingester.push.PushBodyDecoder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Ingesting decoded 1000-line requests, one at a time; scores are lines/s, {@code -prof gc}'s
 * {@code gc.alloc.rate.norm} is bytes allocated per line. Each invocation gets fresh entries (decoded in
 * an untimed per-invocation setup, whose allocation the gc profiler still counts: the same in every
 * variant), so nothing is refused as a duplicate.
 * <ul>
 *   <li>{@code push}: the whole pipeline below HTTP, {@code Ingester.pushService().push} (validation,
 *       limits, WAL record encoding, group commit with or without fsync, head append; the sealer and the
 *       flusher run on their own threads as configured).
 *   <li>{@code headApply}: the head alone, on the benchmark thread: {@code Head.apply} over 100 streams
 *       with 256 KiB blocks sealed inline (so the score includes compressing every block: zstd and the
 *       token filter), and every 100 requests the streams over 512 KiB compressed are cut and dropped,
 *       as a flush would (sealing their partial open blocks). Measures what the head's line storage and
 *       sealing cost per line, without the WAL and the validation around it. {@code order=swapped} swaps
 *       each stream's entries in adjacent pairs (within the out-of-order window), so every block is
 *       sealed through the unsorted path.
 *   <li>{@code decodeOnly}: what {@code headApply}'s per-invocation setup does (generate and decode a
 *       request), timed: subtract its {@code gc.alloc.rate.norm} from {@code headApply}'s to get the bytes
 *       the head itself allocates per line.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HeadAppendBench {
  /** The ingester pushed to by {@link #push}. */
  @State(Scope.Benchmark)
  public static class Pipeline {
    @Param({"true", "false"})
    public boolean walSync;

    private Path dir;
    private Ingester ingester;
    private PushBodyGenerator generator;
    private PushBodyDecoder decoder;
    private PushRequest next;

    @Setup
    public void setup() {
      dir = BenchFixtures.tempDir("lodge-jmh-head");
      ingester = new Ingester(BenchFixtures.config(dir, walSync), new PrometheusRegistry());
      ingester.start();
      generator = BenchFixtures.generator(BenchFixtures.lines(), 1000, 5);
      decoder = BenchFixtures.decoder();
    }

    @Setup(Level.Invocation)
    public void nextRequest() {
      next = BenchFixtures.decode(decoder, generator.next().body());
    }

    @TearDown
    public void close() {
      ingester.close();
      BenchFiles.deleteTree(dir);
    }
  }

  /** A bare head with an inline sealer, applied to by {@link #headApply}. */
  @State(Scope.Benchmark)
  public static class HeadOnly {
    static final long BLOCK_BYTES = 256 << 10;
    static final int CUT_EVERY = 100;
    /** {@code sorted}: entries in time order, as clients push them; {@code swapped}: adjacent pairs swapped. */
    @Param({"sorted", "swapped"})
    public String order;
    private final FlushPolicy full = new FlushPolicy(512 << 10, Long.MAX_VALUE, Long.MAX_VALUE, false, -1);
    private Head head;
    private PushBodyGenerator generator;
    private PushBodyDecoder decoder;
    private PushRequest next;
    private long offset;
    // thread CPU time of apply() alone (not the decoding setup), printed per iteration: a figure that does
    // not follow the machine's load the way lines/s does on a shared box
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private long cpuNanos;
    private long lines;
    private long processCpuAtStart;

    @Setup
    public void setup() {
      ChunkBlockCodec codec = new ChunkBlockCodec(3);
      head = new Head(new HeadIndex<MemStream>(), codec, Sealer.inline(codec), BLOCK_BYTES,
          TimeUnit.HOURS.toNanos(1), System::nanoTime);
      generator = BenchFixtures.generator(BenchFixtures.lines(), BenchFixtures.STREAMS, 5);
      decoder = BenchFixtures.decoder();
    }

    @Setup(Level.Invocation)
    public void nextRequest() {
      next = BenchFixtures.decode(decoder, generator.next().body());
      if (order.equals("swapped")) next = swapPairs(next);
    }

    private static PushRequest swapPairs(PushRequest r) {
      List<PushStream> streams = new java.util.ArrayList<>(r.streams().size());
      for (PushStream ps : r.streams()) {
        List<LogEntry> e = new java.util.ArrayList<>(ps.entries());
        for (int i = 0; i + 1 < e.size(); i += 2) java.util.Collections.swap(e, i, i + 1);
        streams.add(new PushStream(ps.labels(), e));
      }
      return new PushRequest(streams);
    }

    ApplyResult apply() {
      long t0 = THREADS.getCurrentThreadCpuTime();
      ApplyResult r = head.apply("fake", next, 0, offset++, ReplayMarks.none());
      if (offset % CUT_EVERY == 0) {
        List<MemStream.Cut> cuts = head.cut(full);
        head.committed(cuts);
      }
      cpuNanos += THREADS.getCurrentThreadCpuTime() - t0;
      lines += r.acceptedEntries();
      return r;
    }

    @Setup(Level.Iteration)
    public void startIteration() {
      cpuNanos = 0;
      lines = 0;
      processCpuAtStart = processCpuNanos();
    }

    /**
     * Prints apply()'s thread CPU per line, and the whole process's CPU per line (adds the decoding setup,
     * the same in every variant, and the GC and JIT threads: where less garbage shows).
     */
    @TearDown(Level.Iteration)
    public void printCpu() {
      long n = Math.max(1, lines);
      System.out.printf("headApply: %.1f thread-CPU ns/line, %.1f process-CPU ns/line over %d lines (load %s)%n",
          (double) cpuNanos / n, (double) (processCpuNanos() - processCpuAtStart) / n, lines, loadAverage());
    }

    private static long processCpuNanos() {
      return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String loadAverage() {
      return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  @Benchmark
  @OperationsPerInvocation(BenchFixtures.LINES_PER_PUSH)
  public PushOutcome push(Pipeline p) {
    PushOutcome o = p.ingester.pushService().push("fake", p.next).join();
    if (!o.isSuccess()) throw new IllegalStateException("push refused: " + o.status() + " " + o.message());
    return o;
  }

  @Benchmark
  @OperationsPerInvocation(BenchFixtures.LINES_PER_PUSH)
  public ApplyResult headApply(HeadOnly h) {
    return h.apply();
  }

  /** The generator and decoder {@link #decodeOnly} runs, as {@link HeadOnly}'s setup does. */
  @State(Scope.Benchmark)
  public static class Requests {
    private PushBodyGenerator generator;
    private PushBodyDecoder decoder;

    @Setup
    public void setup() {
      generator = BenchFixtures.generator(BenchFixtures.lines(), BenchFixtures.STREAMS, 5);
      decoder = BenchFixtures.decoder();
    }
  }

  @Benchmark
  @OperationsPerInvocation(BenchFixtures.LINES_PER_PUSH)
  public PushRequest decodeOnly(Requests r) {
    return BenchFixtures.decode(r.decoder, r.generator.next().body());
  }
}
