package io.lodge.ingester;

import com.github.luben.zstd.util.Native;
import io.lodge.config.LodgeConfig;
import io.lodge.ingester.chunk.ChunkBlockCodec;
import io.lodge.ingester.dictionary.DictionaryRegistry;
import io.lodge.ingester.flush.ChunkStore;
import io.lodge.ingester.flush.ObjectChunkStore;
import io.lodge.ingester.flush.FlushMarks;
import io.lodge.ingester.flush.FlushMetrics;
import io.lodge.ingester.flush.Flusher;
import io.lodge.ingester.head.BlockCodec;
import io.lodge.ingester.head.Head;
import io.lodge.ingester.head.HeadPressure;
import io.lodge.ingester.head.OpenBudget;
import io.lodge.ingester.head.MemStream;
import io.lodge.ingester.head.ReplayMarks;
import io.lodge.ingester.head.SealCounts;
import io.lodge.ingester.head.Sealer;
import io.lodge.ingester.index.HeadIndex;
import io.lodge.ingester.index.LabelIndex;
import io.lodge.ingester.model.UnixNanos;
import io.lodge.ingester.read.LogReader;
import io.lodge.ingester.read.StoreReader;
import io.lodge.ingester.store.FsObjectStore;
import io.lodge.ingester.store.ObjectStore;
import io.lodge.ingester.validate.ValidationMetrics;
import io.lodge.ingester.wal.DecodeAheadHandler;
import io.lodge.ingester.wal.ReplayStats;
import io.lodge.ingester.wal.WalMetrics;
import io.lodge.ingester.wal.WalOptions;
import io.lodge.ingester.wal.WalReplay;
import io.lodge.ingester.wal.WalWriter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage engine assembled: object store, chunk format, label index, head, WAL and flusher, plus
 * the push pipeline and the read API on top. {@link #start()} replays the WAL (the ingester is not
 * ready until it is done), then opens a new WAL segment and starts flushing.
 */
public final class Ingester implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Ingester.class);
  /** The zstd level of block columns: a good speed/ratio balance for logs. */
  private static final int ZSTD_LEVEL = 3;
  /** A WAL smaller than this replays into few enough pages that their faults do not need a thread. */
  private static final long PREFETCH_MIN_WAL_BYTES = 16L << 20;
  /**
   * Line page slabs (1 MiB each) made ahead of a replay: enough to cover the prefetch thread's late starts,
   * and two of its batches when it maps them in huge pages.
   */
  private static final int REPLAY_SLABS_AHEAD = 32;

  private final LodgeConfig config;
  private final PrometheusRegistry registry;
  private final IngesterState state = new IngesterState();
  private final LabelIndex index;
  private final ObjectStore objects;
  private final ChunkStore chunks;
  private final DictionaryRegistry dictionaries;
  private final Head head;
  private final Sealer sealer;
  private final FlushMarks marks;
  private final StoreReader reader;
  private volatile WalWriter wal;
  private volatile Flusher flusher;
  private volatile Distributor distributor;
  private final ValidationMetrics validationMetrics;

  public Ingester(LodgeConfig config, PrometheusRegistry registry) {
    this.config = config;
    this.registry = registry;
    try {
      Files.createDirectories(config.pathPrefix());
      Files.createDirectories(config.walDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directories under " + config.pathPrefix(), e);
    }
    // zstd-jni copies its native library to a temporary file before loading it (50-70 ms in a fresh JVM,
    // most of it seeding SecureRandom for the file's name): a second thread does that while the index opens
    StartupTask zstdLoaded = StartupTask.start("lodge-zstd-load", Native::load);
    try {
      this.index = new LabelIndex(config.pathPrefix().resolve("index"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the label index under " + config.pathPrefix() + ": " + e.getMessage(), e);
    }
    // from here on a failure closes what was opened (the index's write lock, the sealer's and the
    // dictionary trainer's threads) before it is thrown: a caller may retry in the same JVM
    DictionaryRegistry openedDictionaries = null;
    Sealer startedSealer = null;
    try {
      try {
        this.marks = FlushMarks.decode(index.committedUserData().get(FlushMarks.COMMIT_KEY));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open the label index under " + config.pathPrefix() + ": " + e.getMessage(), e);
      }
      zstdLoaded.join();
      try {
        this.objects = new FsObjectStore(config.pathPrefix().resolve("chunks"));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open the chunk store under " + config.pathPrefix(), e);
      }
      this.dictionaries = openedDictionaries = new DictionaryRegistry(objects, config.ingester().lineDictionaries(),
          ZSTD_LEVEL, registry, System::currentTimeMillis);
      // dictionaries make room for a block of the configured size (and a quarter more) after themselves
      int blockBytes = (int) Math.min(64L << 20, config.ingester().chunkBlockSize());
      BlockCodec codec = new ChunkBlockCodec(ZSTD_LEVEL, dictionaries, blockBytes);
      this.chunks = new ObjectChunkStore(objects, dictionaries, ZSTD_LEVEL, blockBytes);
      long window = config.limits().unorderedWrites() ? config.ingester().maxChunkAge().toNanos() / 2 : 0;
      long maxHead = config.ingester().maxHeadBytes();
      this.sealer = startedSealer = new Sealer(codec, 1, 4 * Sealer.BATCH,
          inlineSealRawBytes(maxHead, config.ingester().chunkBlockSize()));
      // the open blocks' line pages live off the heap, so the heap's old generation never sees them come
      // and go; slabs are made as pages are needed, up to the head bound the pages count against, and to
      // half the JVM's direct memory: the WAL's writes, dictionaries and the network need the rest
      long pageLimit = Math.min(maxHead > 0 ? maxHead : 512L << 20, DirectMemory.max() / 2);
      Head.offHeapPageLimit(pageLimit);
      log.atInfo().addKeyValue("limit_bytes", pageLimit).addKeyValue("max_direct_memory_bytes", DirectMemory.max())
          .log("head line pages live off the heap");
      this.head = new Head(new HeadIndex<MemStream>(), codec, sealer, config.ingester().chunkBlockSize(), window,
          System::nanoTime, OpenBudget.forHead(config.ingester().maxHeadBytes(), config.ingester().chunkBlockSize()));
      this.reader = new StoreReader(head, index, chunks::read, dictionaries);
      this.validationMetrics = new ValidationMetrics(registry);
      state.notReady("WAL replay in progress");
      GaugeWithCallback.builder().name("lodge_ingester_blocks_awaiting_seal")
          .help("Frozen head blocks queued for compression (the sealer takes them in batches; past 256 blocks holding a quarter of max_head_bytes in raw bytes, pushes seal inline).")
          .callback(cb -> cb.call(sealer.pending())).register(registry);
      GaugeWithCallback.builder().name("lodge_ingester_open_block_bytes")
          .help("Raw bytes in the streams' open (unsealed) blocks; past half of ingester.max_head_bytes streams seal them early.")
          .callback(cb -> cb.call(head.openBudget().bytes())).register(registry);
      SealCounts sealed = sealer.counts();
      sealCounter(registry, "lodge_ingester_blocks_sealed", sealed::blocks, "Head blocks compressed, by where: the"
          + " sealing threads (sealer), the thread applying pushes while the sealer's backlog is over its bound (push:"
          + " pushes wait for zstd then), or a flush cut (flush: the cut stream's open block and blocks no sealer had reached).");
      sealCounter(registry, "lodge_ingester_sealed_raw_bytes", sealed::rawBytes, "Raw bytes (lines and structured"
          + " metadata) of the head blocks compressed, by where (see lodge_ingester_blocks_sealed_total).");
      sealCounter(registry, "lodge_ingester_sealed_stored_bytes", sealed::storedBytes, "Bytes the compressed head"
          + " blocks take, by where (see lodge_ingester_blocks_sealed_total); raw over stored is the compression ratio at seal time.");
      CounterWithCallback.builder().name("lodge_ingester_blocks_sealed_early")
          .help("Open blocks sealed before they were full because all open blocks together passed half of ingester.max_head_bytes.")
          .callback(cb -> cb.call(head.openBudget().earlySeals())).register(registry);
      GaugeWithCallback.builder().name("lodge_ingester_line_pages_off_heap_bytes")
          .help("Direct memory made for the open blocks' line pages (reused, never freed; at most ingester.max_head_bytes, or 512 MB when it is 0, and half of -XX:MaxDirectMemorySize; beyond that pages are on the heap).")
          .callback(cb -> cb.call(Head.offHeapPageBytes())).register(registry);
      GaugeWithCallback.builder().name("lodge_ingester_line_pages_off_heap_in_use_bytes")
          .help("Direct line pages held by open blocks and blocks awaiting the sealer now.")
          .callback(cb -> cb.call(Head.offHeapPagesInUse())).register(registry);
      CounterWithCallback.builder().name("lodge_ingester_line_pages_heap_fallback")
          .help("Line pages that were heap arrays because the off-heap limit was reached and no direct page of their size was free.")
          .callback(cb -> cb.call(Head.heapPageFallbacks())).register(registry);
      CounterWithCallback.builder().name("lodge_ingester_line_pages_slabs_reclaimed")
          .help("Direct slabs taken back from one line page size for another once the off-heap limit was reached.")
          .callback(cb -> cb.call(Head.reclaimedPageSlabs())).register(registry);
      CounterWithCallback.builder().name("lodge_ingester_line_pages_slabs_prefetched")
          .help("Direct slabs made ahead of need on a thread of their own (during a WAL replay of "
              + (PREFETCH_MIN_WAL_BYTES >> 20) + " MiB or more) and taken by blocks.")
          .callback(cb -> cb.call(Head.prefetchedPageSlabs())).register(registry);
      GaugeWithCallback.builder().name("lodge_ingester_streams").help("Streams in the head.")
          .callback(cb -> cb.call(head.streamCount())).register(registry);
      GaugeWithCallback.builder().name("lodge_ingester_head_bytes").help("Bytes held by the head (compressed blocks plus unsealed entries).")
          .callback(cb -> cb.call(head.memoryBytes())).register(registry);
    } catch (RuntimeException | Error e) {
      if (startedSealer != null) startedSealer.close();
      if (openedDictionaries != null) openedDictionaries.close();
      closeAfterFailure(index, e);
      throw e;
    }
  }

  private static void closeAfterFailure(LabelIndex index, Throwable failure) {
    try {
      index.close();
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /** Replays the WAL into the head, then starts the WAL writer and the flusher; blocks until ready. */
  public void start() {
    Path walDir = config.walDir();
    ReplayMarks replayMarks = marks.toReplayMarks();
    WalMetrics walMetrics = new WalMetrics(registry);
    ReplayStats stats;
    // Replay restores raw entries; the blocks it fills are compressed after it (in the background,
    // up to half the head bound; beyond that as during ingest), so that time to ready is read, decode
    // and apply, with records decoded on a helper thread ahead of the applying one. The line pages of a
    // big replay are new memory, made resident on a third thread (in huge pages where it can map them):
    // on a VM whose page faults trap to the hypervisor that was half the time of the applying thread
    // (BENCHMARKS.md, twenty-fourth and twenty-fifth waves).
    long maxHead = config.ingester().maxHeadBytes();
    sealer.hold(maxHead > 0 ? maxHead / 2 : 256L << 20);
    try (Head.PageSlabPrefetch prefetch = WalReplay.segmentBytes(walDir) >= PREFETCH_MIN_WAL_BYTES
            ? Head.prefetchPageSlabs(REPLAY_SLABS_AHEAD) : () -> {};
        DecodeAheadHandler handler = new DecodeAheadHandler(16,
            (pos, p) -> head.apply(p.tenant(), p.request(), pos.segmentId(), pos.offset(), replayMarks))) {
      stats = WalReplay.replay(walDir, config.ingester().wal().skipCorruptRecords(), handler);
      handler.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("WAL replay of " + walDir + " failed: " + e.getMessage()
          + " (set ingester.wal.skip_corrupt_records: true to skip corrupt records)", e);
    } finally {
      sealer.release();
    }
    walMetrics.replayed(stats);
    log.atInfo().addKeyValue("segments", stats.segments()).addKeyValue("records", stats.records())
        .addKeyValue("bytes", stats.bytes()).addKeyValue("streams", head.streamCount())
        .addKeyValue("duration", stats.duration()).log("WAL replay finished");
    WalOptions options = new WalOptions(config.ingester().wal().sync() && config.ingester().wal().enabled(),
        config.ingester().wal().segmentSize());
    try {
      wal = new WalWriter(walDir, options, walMetrics);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the WAL in " + walDir + ": " + e.getMessage(), e);
    }
    flusher = new Flusher(head, chunks, index, wal, config.ingester(), marks, new FlushMetrics(registry));
    HeadPressure pressure = new HeadPressure(head::memoryBytes, config.ingester().maxHeadBytes(), registry, System::nanoTime);
    distributor = new Distributor(config.limits(), validationMetrics, head, pressure, wal, state, UnixNanos::now);
    flusher.start();
    state.ready();
  }


  public IngesterState state() {
    return state;
  }

  /** The push pipeline; answers 503 until {@link #start()} has finished. */
  public PushService pushService() {
    return (tenant, request) -> {
      Distributor d = distributor;
      if (d == null) {
        return java.util.concurrent.CompletableFuture.completedFuture(
            new PushOutcome(503, "Ingester not ready: " + state.reason()));
      }
      return d.push(tenant, request);
    };
  }

  public LogReader reader() {
    return reader;
  }

  /** Flushes every stream now (for /flush and tests); returns the number of streams cut. */
  public int flushAll() {
    return flusher.flush(true);
  }

  public Head head() {
    return head;
  }

  /** Full head blocks queued for compression (raw, readable, counted by the head bound meanwhile). */
  public int blocksAwaitingSeal() {
    return sealer.pending();
  }

  /** The line dictionaries blocks are compressed with (trained, stored and found here). */
  public DictionaryRegistry dictionaries() {
    return dictionaries;
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    state.notReady("stopping");
    Flusher f = flusher;
    if (f != null) {
      f.stopSchedule();
      try {
        if (config.ingester().wal().flushOnShutdown()) f.flush(true);
      } finally {
        f.close();
      }
    }
    WalWriter w = wal;
    if (w != null) {
      try {
        w.close();
      } catch (IOException e) {
        log.atError().addKeyValue("err", e.toString()).log("closing the WAL failed; replay will recover it");
      }
    }
    sealer.close();
    head.releasePages(); // after the sealer: no encoder holds a frozen block any more
    dictionaries.close();
    try {
      index.close();
    } catch (IOException e) {
      log.atError().addKeyValue("err", e.toString()).log("closing the label index failed");
    }
    log.atInfo().log("ingester stopped: WAL synced and closed");
  }

  /** A counter of {@link SealCounts}, one series per {@link SealCounts.Where}. */
  private static void sealCounter(PrometheusRegistry registry, String name, ToLongFunction<SealCounts.Where> value,
      String help) {
    CounterWithCallback.builder().name(name).help(help).labelNames("where")
        .callback(cb -> {
          for (SealCounts.Where w : SealCounts.Where.values()) cb.call(value.applyAsLong(w), w.label());
        }).register(registry);
  }

  /**
   * Raw bytes of frozen blocks that may wait for the sealer before the WAL thread seals inline (with at
   * least 256 blocks waiting): a quarter of the head bound, or 256 full blocks' worth without one. Early-
   * sealed blocks are smaller, and counting blocks alone would slow the WAL thread at an eighth of the
   * backlog. The whole quarter, with no cap below it: a sealer a second behind at 500,000 lines/s (a busy
   * moment of shared cores) then seldom makes pushes wait for zstd (BENCHMARKS.md, "Seventeenth wave").
   */
  static long inlineSealRawBytes(long maxHeadBytes, long blockBytes) {
    return maxHeadBytes > 0 ? maxHeadBytes / 4 : 4L * Sealer.BATCH * blockBytes;
  }
}
