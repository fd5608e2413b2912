package io.lodge.ingester.wal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log: appends records to segment files with group commit, and tells each caller,
 * in WAL order, once its record is durable.
 *
 * <p>One writer thread drains every pending append, writes them with one write call per MiB, fsyncs
 * once ({@code force(false)}, when {@link WalOptions#sync()}), then on the writer thread and in WAL
 * order runs each {@code onDurable(position)} and completes its future with the result. Concurrent
 * pushes thus share one fsync. Dependent stages registered without an executor also run on the
 * writer thread: keep them short or use the {@code *Async} variants.
 *
 * <p>Files: {@code <dir>/<segment id, 20 digits>.wal}, ids increasing by one. A new writer never
 * appends to an existing segment: it starts a new one with id max+1, so a tail replay truncated is
 * never written after without being re-checked. Run {@link WalReplay} before opening the writer.
 *
 * <pre>
 * segment = header frame*
 * header  (28 bytes, big-endian)
 *   +--------+---------+------------+-----------------+-------------+
 *   | magic  | version | segment id | previous length | header crc  |
 *   | u32    | u32 = 1 | u64        | i64             | u32 CRC32C  |
 *   | "LWAL" |         |            |                 | of bytes 0-23|
 *   +--------+---------+------------+-----------------+-------------+
 * frame   (8 bytes + payload, big-endian)
 *   +-------------+------------------------------------+-------------------+
 *   | length u32  | crc u32: CRC32C of the 4 length     | payload           |
 *   | payload len | bytes followed by the payload       | (length bytes)    |
 *   +-------------+------------------------------------+-------------------+
 * </pre>
 *
 * <p>The CRC covers the length too, so a zero-filled region (length 0, crc 0) never verifies and a
 * flipped length bit is caught. {@code previous length} is the valid length of segment id-1 when this
 * segment was created: after a failed write whose truncation also failed, replay cuts segment id-1
 * back to it instead of calling the unacknowledged bytes corruption. A record's {@link WalPosition}
 * is its segment id and the file offset of its frame. Payloads are at most 256 MiB; a payload larger
 * than {@link WalOptions#segmentSize()} is written alone into its own segment.
 *
 * <p>Failures: when a write or fsync fails, every append of that group fails with a
 * {@link WalWriteException} (reason IO_ERROR), the segment is truncated back to its last good length
 * and closed, and the next group starts a new segment; the writer keeps accepting appends. Appends
 * beyond {@link WalOptions#maxPendingBytes()} fail at once (BACKLOG_FULL) and appends after
 * {@link #close()} fail at once (CLOSED): both as an already failed future, never by blocking.
 */
public final class WalWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WalWriter.class);

  private final Path dir;
  private final WalOptions options;
  private final WalMetrics metrics;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<PendingAppend<?>> queue = new ArrayDeque<>(); // guarded by lock
  private long pendingBytes; // guarded by lock
  private boolean closed; // guarded by lock

  /** Sizes of the segment files on disk by id; written by the writer thread and deleteSegmentsBelow. */
  private final ConcurrentSkipListMap<Long, Long> segmentSizes = new ConcurrentSkipListMap<>();
  private final GroupCommit groupCommit;
  private final Thread thread;

  /** Opens the WAL in {@code dir} (created if absent) and starts a new segment after the existing ones. */
  public WalWriter(Path dir, WalOptions options, WalMetrics metrics) throws IOException {
    this(dir, options, metrics, WalChannelFactory.DEFAULT);
  }

  /** As {@link #WalWriter(Path, WalOptions, WalMetrics)}, writing through {@code channels} (a test seam). */
  public WalWriter(Path dir, WalOptions options, WalMetrics metrics, WalChannelFactory channels) throws IOException {
    this.dir = dir;
    this.options = Objects.requireNonNull(options, "options");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    Files.createDirectories(dir);
    for (Map.Entry<Long, Path> e : WalFormat.listSegments(dir).entrySet()) {
      segmentSizes.put(e.getKey(), Files.size(e.getValue()));
    }
    groupCommit = new GroupCommit(dir, options, metrics, Objects.requireNonNull(channels, "channels"), segmentSizes);
    // Never append to an existing segment: its tail may be one replay cut, or one replay has not seen.
    groupCommit.openNextSegment();
    thread = new Thread(this::run, "lodge-wal-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues {@code payload} for the WAL. The future completes after the record is durable, with what
   * {@code onDurable} returned (called on the writer thread, in WAL order, exactly once per durable
   * record), or exceptionally with a {@link WalWriteException} when the record did not become durable,
   * or with what {@code onDurable} threw; the record is then still in the WAL and will be replayed.
   * The WAL keeps a reference to {@code payload}: do not modify it afterwards.
   */
  public <T> CompletableFuture<T> append(byte[] payload, Function<WalPosition, T> onDurable) {
    Objects.requireNonNull(payload, "payload");
    return append(EncodedRecord.of(payload), onDurable);
  }

  /**
   * As {@link #append(byte[], Function)} for the first {@code record.length()} bytes of its array; a
   * pooled array goes back to {@link RecordBuffers} once the append completes, failed or durable, so
   * the caller must not touch it after this call.
   */
  public <T> CompletableFuture<T> append(EncodedRecord record, Function<WalPosition, T> onDurable) {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(onDurable, "onDurable");
    if (record.length() > WalFormat.MAX_RECORD_BYTES) {
      if (record.pooled()) RecordBuffers.give(record.bytes());
      return CompletableFuture.failedFuture(new WalWriteException(WalWriteException.Reason.TOO_LARGE,
          "WAL record of " + record.length() + " bytes exceeds the limit of " + WalFormat.MAX_RECORD_BYTES + " bytes"));
    }
    // The CRC is computed here, on the caller's thread, so checksumming runs in parallel.
    int crc = WalFormat.frameCrc(record.bytes(), 0, record.length());
    return enqueue(new PendingAppend<>(record, crc, onDurable, false));
  }

  /**
   * Closes the current segment once everything queued before this call is written, and starts a new
   * one unless the current segment holds no record yet. The future completes with the id of the
   * segment that later appends go to: every record acknowledged before this call sits in a segment
   * below it, so after the head has flushed them, {@code deleteSegmentsBelow(id)} frees their space.
   */
  public CompletableFuture<Long> rollSegment() {
    return enqueue(new PendingAppend<>(new byte[0], 0, WalPosition::segmentId, true));
  }

  private <T> CompletableFuture<T> enqueue(PendingAppend<T> p) {
    long size = p.frameBytes();
    lock.lock();
    try {
      if (closed) {
        p.release();
        return CompletableFuture.failedFuture(
            new WalWriteException(WalWriteException.Reason.CLOSED, "WAL writer for " + dir + " is closed"));
      }
      if (pendingBytes > 0 && pendingBytes + size > options.maxPendingBytes()) {
        p.release();
        return CompletableFuture.failedFuture(new WalWriteException(WalWriteException.Reason.BACKLOG_FULL,
            "WAL backlog full: " + pendingBytes + " bytes pending, a record of " + p.length
                + " bytes would exceed the limit of " + options.maxPendingBytes() + " bytes (wal max pending bytes)"));
      }
      pendingBytes += size;
      queue.add(p);
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
    return p.future;
  }

  /** The id of the segment new appends go to. */
  public long currentSegmentId() {
    return groupCommit.currentSegmentId();
  }

  /**
   * Deletes every segment with an id below {@code segmentId}, but never the current one, and makes
   * the deletion durable (a deleted segment coming back after a crash would replay its records again).
   */
  public synchronized void deleteSegmentsBelow(long segmentId) throws IOException {
    long limit = Math.min(segmentId, groupCommit.currentSegmentId());
    boolean deleted = false;
    for (Long id : new ArrayList<>(segmentSizes.headMap(limit).keySet())) {
      Files.deleteIfExists(WalFormat.segmentPath(dir, id));
      segmentSizes.remove(id);
      deleted = true;
      log.info("wal segment deleted dir={} segment={}", dir, id);
    }
    if (deleted) WalSegment.syncDirectory(dir);
    metrics.segments(segmentSizes.size());
  }

  /** Bytes of all segment files on disk (the current one as written so far). */
  public long totalBytes() {
    long n = 0;
    for (long s : segmentSizes.values()) n += s;
    return n;
  }

  /** Ids of the segment files on disk, ascending. */
  public List<Long> segmentIds() {
    return List.copyOf(segmentSizes.keySet());
  }

  /** Writes and syncs what is pending, closes the current segment and stops the writer thread. */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      closed = true;
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while closing the WAL writer for " + dir);
    }
    if (groupCommit.closeFailure() != null) throw groupCommit.closeFailure();
  }

  private void run() {
    List<PendingAppend<?>> group = new ArrayList<>();
    while (true) {
      lock.lock();
      try {
        while (queue.isEmpty() && !closed) notEmpty.awaitUninterruptibly();
        if (queue.isEmpty()) break;
        group.addAll(queue);
        queue.clear();
      } finally {
        lock.unlock();
      }
      long bytes = 0;
      for (PendingAppend<?> p : group) bytes += p.frameBytes();
      try {
        groupCommit.commit(group);
      } catch (RuntimeException | Error e) {
        // A bug of ours: no caller may wait forever, so fail whatever is not completed yet.
        log.error("wal writer group failed unexpectedly dir={} records={}", dir, group.size(), e);
        for (PendingAppend<?> p : group) p.fail(new WalWriteException(WalWriteException.Reason.IO_ERROR,
            "WAL writer failed unexpectedly: " + e, e));
      }
      lock.lock();
      try {
        pendingBytes -= bytes;
      } finally {
        lock.unlock();
      }
      group.clear();
    }
    groupCommit.finish();
  }
}
