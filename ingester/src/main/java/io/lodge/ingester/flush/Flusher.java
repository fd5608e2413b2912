package io.lodge.ingester.flush;

import io.lodge.config.IngesterConfig;
import io.lodge.ingester.head.FlushPolicy;
import io.lodge.ingester.head.Head;
import io.lodge.ingester.head.MemStream;
import io.lodge.ingester.head.ReplayMarks;
import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.index.ChunkRef;
import io.lodge.ingester.index.LabelIndex;
import io.lodge.ingester.model.UnixNanos;
import io.lodge.ingester.wal.WalWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves head data into flushed chunks: every {@code flush_check_period} it cuts the streams that are
 * full, old, idle or pinning old WAL segments, writes their chunks to the object store (as packs: one
 * object per tenant and about {@link #PACK_BYTES} of chunks), indexes them and commits the index together
 * with the replay marks, then drops the flushed blocks from the head and deletes the WAL segments nothing
 * needs any more. A failed cycle puts the blocks back, deletes the packs it wrote, and is retried on the
 * next tick; nothing is dropped. Up to {@code concurrent_flushes} pack puts of a cycle run at once on the
 * {@code lodge-chunk-writer-*} threads (a forced flush of a whole head writes several).
 *
 * <p>Packs no index entry names (a crash between a pack's put and the index commit; a failed cycle whose
 * deletes failed too) are collected by {@link UnindexedPacks} on the {@code lodge-pack-collector} thread when the
 * flusher starts and after the next cycle that commits following a failed one.
 */
public final class Flusher implements AutoCloseable {
  /** Between half the WAL budget and the budget, a cycle cuts at most this fraction (1/n) of the streams. */
  static final int WAL_CUT_FRACTION = 8;
  /**
   * About how many bytes of chunks one object holds: a cycle of memory-pressure cuts at full rate (~130 small
   * chunks a second) becomes one file instead of 130, and a forced flush of a whole head is still several
   * objects written in parallel, none held in memory twice.
   */
  static final long PACK_BYTES = 8L << 20;
  private static final Logger log = LoggerFactory.getLogger(Flusher.class);

  private final Head head;
  private final ChunkStore chunks;
  private final LabelIndex index;
  private final WalWriter wal;
  private final IngesterConfig config;
  private final FlushMarks marks;
  private final FlushMetrics metrics;
  private final ScheduledExecutorService timer;
  private final ExecutorService writers;
  /**
   * Runs {@link UnindexedPacks#collect}: not a chunk writer, since a collection waiting for the flusher's lock
   * would then hold up the puts of the cycle that holds it (with {@code concurrent_flushes: 1}, for good).
   */
  private final ExecutorService collector;
  private final long packBytes;
  private final UnindexedPacks unindexed;

  public Flusher(Head head, ChunkStore chunks, LabelIndex index, WalWriter wal, IngesterConfig config,
      FlushMarks marks, FlushMetrics metrics) {
    this(head, chunks, index, wal, config, marks, metrics, PACK_BYTES);
  }

  /** @param packBytes about how many bytes of chunks go to one object ({@link #PACK_BYTES}) */
  Flusher(Head head, ChunkStore chunks, LabelIndex index, WalWriter wal, IngesterConfig config, FlushMarks marks,
      FlushMetrics metrics, long packBytes) {
    this.head = head;
    this.packBytes = packBytes;
    this.chunks = chunks;
    this.index = index;
    this.wal = wal;
    this.config = config;
    this.marks = marks;
    this.metrics = metrics;
    if (config.concurrentFlushes() < 1) {
      throw new IllegalArgumentException("ingester.concurrent_flushes must be at least 1, got " + config.concurrentFlushes());
    }
    Map<String, String> committed;
    try {
      committed = index.committedUserData();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the label index's last commit in " + index.directory() + ": "
          + e.getMessage(), e);
    }
    this.unindexed = new UnindexedPacks(chunks, index, this, metrics, System::nanoTime,
        UnindexedPacks.recorded(committed, index.directory().toString()),
        UnindexedPacks.deleteLimit(config.maxHeadBytes(), packBytes));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("lodge-flusher", null));
    this.writers = Executors.newFixedThreadPool(config.concurrentFlushes(),
        daemonThreads("lodge-chunk-writer-", new AtomicInteger()));
    this.collector = Executors.newSingleThreadExecutor(daemonThreads("lodge-pack-collector", null));
  }

  /** Daemon threads named {@code name}, or {@code name} and a number when {@code ids} is given. */
  private static ThreadFactory daemonThreads(String name, AtomicInteger ids) {
    return r -> {
      Thread t = new Thread(r, ids == null ? name : name + ids.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Starts the periodic flush, and a once-a-second check of the head's memory bound and of the WAL's size
   * budget (a cycle runs as soon as the WAL passes half of it: see {@link #walCutLimit}).
   */
  public void start() {
    collectInBackground();
    long period = Math.max(1, config.flushCheckPeriod().toMillis());
    timer.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    if (config.maxHeadBytes() > 0 || config.wal().maxSize() > 0) {
      timer.scheduleWithFixedDelay(() -> {
        boolean memory = config.maxHeadBytes() > 0 && head.memoryBytes() > config.maxHeadBytes();
        if (memory || walPressureSegment() >= 0) tick();
      }, 1, 1, TimeUnit.SECONDS);
    }
  }

  private void tick() {
    try {
      flush(false);
    } catch (RuntimeException e) {
      log.atError().addKeyValue("err", e.toString()).log("flush cycle failed; will retry");
    }
  }

  /** Runs one flush cycle now; {@code force} cuts every stream (shutdown, tests, /flush). */
  public synchronized int flush(boolean force) {
    long walBelow = walPressureSegment();
    FlushPolicy policy = new FlushPolicy(config.chunkTargetSize(), config.maxChunkAge().toNanos(),
        config.chunkIdlePeriod().toNanos(), force, walBelow, walCutLimit());
    // memory pressure first: the streams holding the most compressed blocks go out early, then the usual size/age/idle cuts
    List<MemStream.Cut> cuts = new ArrayList<>(head.cutLargest(config.maxHeadBytes()));
    cuts.addAll(head.cut(policy));
    if (!cuts.isEmpty()) {
      long start = System.nanoTime();
      long unindexedSince = unindexed.cycleStarting(UnixNanos.now());
      // marks are staged: a failed commit must not leave marks for blocks that went back to the head
      FlushMarks staged = marks.copy();
      int chunksWritten;
      List<ChunkRef> written = new ArrayList<>();
      boolean indexed = false;
      try {
        List<Pack> packs = pack(cuts, staged);
        List<Future<List<ChunkRef>>> writes = new ArrayList<>(packs.size());
        for (Pack p : packs) writes.add(writers.submit(() -> chunks.write(p.tenant, p.chunks)));
        List<String> reasons = new ArrayList<>();
        for (Pack p : packs) reasons.addAll(p.reasons);
        List<ChunkRef> refs = awaitAll(writes, written);
        chunksWritten = refs.size();
        for (int i = 0; i < refs.size(); i++) metrics.chunkFlushed(reasons.get(i), refs.get(i));
        metrics.objectsWritten(packs.size());
        indexed = true; // from here on the index may have seen the chunks: their objects must stay
        index.add(refs);
        index.commit(Map.of(FlushMarks.COMMIT_KEY, staged.encode(),
            UnindexedPacks.COMMIT_KEY, Long.toString(unindexedSince)));
      } catch (IOException | RuntimeException e) {
        head.failed(cuts);
        metrics.flushFailed();
        if (!indexed) discard(written, e);
        throw e instanceof IOException io ? new UncheckedIOException("flush failed: " + io.getMessage(), io)
            : (RuntimeException) e;
      }
      marks.adopt(staged);
      head.committed(cuts);
      metrics.flushDuration(System.nanoTime() - start);
      log.atDebug().addKeyValue("streams", cuts.size()).addKeyValue("chunks", chunksWritten).log("flushed chunks");
      if (unindexed.cycleCommitted()) collectInBackground();
    }
    truncateWal();
    return cuts.size();
  }

  /**
   * The refs of every write, in order. Waits for all of them even after one failed, so that no put is
   * still running when the cycle's blocks go back to the head; the first failure is thrown with the
   * others suppressed. {@code written} receives the refs of every write that succeeded, also on failure.
   */
  private static List<ChunkRef> awaitAll(List<Future<List<ChunkRef>>> writes, List<ChunkRef> written) {
    RuntimeException failure = null;
    for (int i = 0; i < writes.size(); i++) {
      try {
        written.addAll(writes.get(i).get());
      } catch (ExecutionException e) {
        RuntimeException cause = e.getCause() instanceof RuntimeException re ? re
            : new IllegalStateException("chunk write failed: " + e.getCause(), e.getCause());
        if (failure == null) failure = cause;
        else failure.addSuppressed(cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        for (Future<List<ChunkRef>> other : writes.subList(i, writes.size())) {
          other.cancel(true);
          if (other.state() == Future.State.SUCCESS) written.addAll(other.resultNow()); // so they can be discarded
        }
        throw new IllegalStateException("interrupted while waiting for chunk writes", e);
      }
    }
    if (failure != null) throw failure;
    return written;
  }

  /**
   * Deletes the objects a failed cycle wrote before anything indexed them; a failure here is added to
   * {@code cause}. Runs uninterrupted (an interrupt would abort the deletes' directory fsyncs) and restores
   * the interrupt after.
   */
  private void discard(List<ChunkRef> written, Exception cause) {
    if (written.isEmpty()) return;
    boolean interrupted = Thread.interrupted();
    try {
      chunks.discard(written);
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /** Runs {@link UnindexedPacks#collect} on the collector thread; skipped once the flusher is closed. */
  private void collectInBackground() {
    try {
      collector.execute(unindexed::collect);
    } catch (RejectedExecutionException e) {
      log.atDebug().log("flusher closed: chunk packs no index entry names wait for the next start");
    }
  }

  /** Collects the packs no index entry names now, as {@link #start} does in the background. */
  void collectUnindexedPacks() {
    unindexed.collect();
  }

  /** The chunks of one tenant that go to the store as one object, with why each stream was cut. */
  private static final class Pack {
    final String tenant;
    final List<PendingChunk> chunks = new ArrayList<>();
    final List<String> reasons = new ArrayList<>();
    long bytes;

    Pack(String tenant) {
      this.tenant = tenant;
    }
  }

  /**
   * The cycle's chunks (each cut stream split at the chunk target size), grouped by tenant into packs of
   * about {@link #packBytes} (a larger chunk goes alone); stages each stream's flush mark.
   */
  private List<Pack> pack(List<MemStream.Cut> cuts, FlushMarks staged) {
    Map<String, List<Pack>> byTenant = new LinkedHashMap<>();
    for (MemStream.Cut cut : cuts) {
      String tenant = cut.stream().tenant();
      List<Pack> packs = byTenant.computeIfAbsent(tenant, t -> new ArrayList<>());
      for (List<SealedBlock> group : groupByTargetSize(cut.blocks())) {
        PendingChunk chunk = new PendingChunk(cut.stream().labels(), group);
        long bytes = chunk.compressedBytes();
        Pack p = packs.isEmpty() ? null : packs.get(packs.size() - 1);
        if (p == null || p.bytes + bytes > packBytes) packs.add(p = new Pack(tenant));
        p.chunks.add(chunk);
        p.reasons.add(cut.reason().label());
        p.bytes += bytes;
      }
      staged.put(ReplayMarks.key(tenant, cut.stream().labels()), cut.mark());
    }
    List<Pack> all = new ArrayList<>();
    for (List<Pack> packs : byTenant.values()) all.addAll(packs);
    return all;
  }

  /** Splits a stream's cut blocks into chunks of about the target compressed size. */
  private List<List<SealedBlock>> groupByTargetSize(List<SealedBlock> blocks) {
    List<List<SealedBlock>> groups = new ArrayList<>();
    List<SealedBlock> current = new ArrayList<>();
    long size = 0;
    for (SealedBlock b : blocks) {
      if (!current.isEmpty() && size + b.compressedBytes() > config.chunkTargetSize()) {
        groups.add(current);
        current = new ArrayList<>();
        size = 0;
      }
      current.add(b);
      size += b.compressedBytes();
    }
    if (!current.isEmpty()) groups.add(current);
    return groups;
  }

  /**
   * When the WAL is past half its size budget, the segment below which streams are cut (so that its oldest
   * segment can go); else -1.
   */
  private long walPressureSegment() {
    long max = config.wal().maxSize();
    if (max <= 0 || wal.totalBytes() <= max / 2) return -1;
    List<Long> ids = wal.segmentIds();
    return ids.size() > 1 ? ids.get(1) : -1;
  }

  /**
   * How many streams one cycle may cut for the WAL budget. Streams written round robin all hold entries in
   * the oldest segment, so freeing it means cutting every one: between half the budget and the budget,
   * an eighth of the streams per cycle (a cycle a second), which spreads that flush over ~8 s instead of
   * one burst that starves pushes of CPU; past the budget, all at once.
   */
  private int walCutLimit() {
    long max = config.wal().maxSize();
    if (max <= 0 || wal.totalBytes() > max) return Integer.MAX_VALUE;
    return Math.max(1, head.streamCount() / WAL_CUT_FRACTION);
  }

  private void truncateWal() {
    long current = wal.currentSegmentId();
    long keep = Math.min(current, head.firstUnflushedSegment());
    try {
      wal.deleteSegmentsBelow(keep);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot delete WAL segments below " + keep + ": " + e.getMessage(), e);
    }
    marks.pruneBelow(keep);
  }

  /** Stops the periodic flush, waiting for a running cycle; {@link #flush} may still be called after it. */
  public void stopSchedule() {
    shutdown(timer);
  }

  /** Stops the periodic flush, the pack collector and the chunk writers; a cycle still running finishes first. */
  @Override
  public void close() {
    stopSchedule();
    shutdown(collector);
    shutdown(writers);
  }

  /** Lets queued work finish for up to 30 s, then interrupts it. */
  private static void shutdown(ExecutorService pool) {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(30, TimeUnit.SECONDS)) pool.shutdownNow();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pool.shutdownNow();
    }
  }
}
