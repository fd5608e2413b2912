package io.lodge.ingester.flush;

import io.lodge.config.IngesterConfig;
import io.lodge.ingester.head.FlushPolicy;
import io.lodge.ingester.head.Head;
import io.lodge.ingester.head.MemStream;
import io.lodge.ingester.head.ReplayMarks;
import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.index.ChunkRef;
import io.lodge.ingester.index.LabelIndex;
import io.lodge.ingester.wal.WalWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves head data into flushed chunks: every {@code flush_check_period} it cuts the streams that are
 * full, old, idle or pinning old WAL segments, writes their chunks to the object store, indexes them
 * and commits the index together with the replay marks, then drops the flushed blocks from the head
 * and deletes the WAL segments nothing needs any more. A failed cycle puts the blocks back and is
 * retried on the next tick; nothing is dropped.
 */
public final class Flusher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Flusher.class);

  private final Head head;
  private final ChunkStore chunks;
  private final LabelIndex index;
  private final WalWriter wal;
  private final IngesterConfig config;
  private final FlushMarks marks;
  private final FlushMetrics metrics;
  private final ScheduledExecutorService timer;

  public Flusher(Head head, ChunkStore chunks, LabelIndex index, WalWriter wal, IngesterConfig config,
      FlushMarks marks, FlushMetrics metrics) {
    this.head = head;
    this.chunks = chunks;
    this.index = index;
    this.wal = wal;
    this.config = config;
    this.marks = marks;
    this.metrics = metrics;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lodge-flusher");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts the periodic flush, and a once-a-second check of the head's memory bound. */
  public void start() {
    long period = Math.max(1, config.flushCheckPeriod().toMillis());
    timer.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    if (config.maxHeadBytes() > 0) {
      timer.scheduleWithFixedDelay(() -> {
        if (head.memoryBytes() > config.maxHeadBytes()) tick();
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
        config.chunkIdlePeriod().toNanos(), force, walBelow);
    // memory pressure first: the largest streams go out early, then the usual size/age/idle cuts
    List<MemStream.Cut> cuts = new ArrayList<>(head.cutLargest(config.maxHeadBytes()));
    cuts.addAll(head.cut(policy));
    if (!cuts.isEmpty()) {
      long start = System.nanoTime();
      List<ChunkRef> refs = new ArrayList<>();
      // marks are staged: a failed commit must not leave marks for blocks that went back to the head
      FlushMarks staged = marks.copy();
      try {
        for (MemStream.Cut cut : cuts) {
          for (List<SealedBlock> group : groupByTargetSize(cut.blocks())) {
            ChunkRef ref = chunks.write(cut.stream().tenant(), cut.stream().labels(), group);
            refs.add(ref);
            metrics.chunkFlushed(cut.reason().label(), ref);
          }
          staged.put(ReplayMarks.key(cut.stream().tenant(), cut.stream().labels()), cut.mark());
        }
        index.add(refs);
        index.commit(Map.of(FlushMarks.COMMIT_KEY, staged.encode()));
      } catch (IOException | RuntimeException e) {
        head.failed(cuts);
        metrics.flushFailed();
        throw e instanceof IOException io ? new UncheckedIOException("flush failed: " + io.getMessage(), io)
            : (RuntimeException) e;
      }
      marks.adopt(staged);
      head.committed(cuts);
      metrics.flushDuration(System.nanoTime() - start);
      log.atDebug().addKeyValue("streams", cuts.size()).addKeyValue("chunks", refs.size()).log("flushed chunks");
    }
    truncateWal();
    return cuts.size();
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

  /** When the WAL is over its size budget, the segment below which streams must be cut; else -1. */
  private long walPressureSegment() {
    long max = config.wal().maxSize();
    if (max <= 0 || wal.totalBytes() <= max) return -1;
    List<Long> ids = wal.segmentIds();
    return ids.size() > 1 ? ids.get(1) : -1;
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

  @Override
  public void close() {
    timer.shutdown();
    try {
      if (!timer.awaitTermination(30, TimeUnit.SECONDS)) timer.shutdownNow();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      timer.shutdownNow();
    }
  }
}
