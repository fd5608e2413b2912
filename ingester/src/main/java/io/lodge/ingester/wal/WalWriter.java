package io.lodge.ingester.wal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
  private static final int BUFFER_SIZE = 1 << 20;

  private final Path dir;
  private final WalOptions options;
  private final WalMetrics metrics;
  private final WalChannelFactory channels;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<Pending<?>> queue = new ArrayDeque<>(); // guarded by lock
  private long pendingBytes; // guarded by lock
  private boolean closed; // guarded by lock

  /** Sizes of the segment files on disk by id; written by the writer thread and deleteSegmentsBelow. */
  private final ConcurrentSkipListMap<Long, Long> segmentSizes = new ConcurrentSkipListMap<>();
  private volatile long currentSegmentId;
  private final Thread thread;
  private volatile IOException closeFailure;

  // Writer-thread state.
  private WalSegment current;
  private long nextSegmentId;
  private long previousLength;
  private Path untruncatedPath;
  private long untruncatedLength;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);

  /** Opens the WAL in {@code dir} (created if absent) and starts a new segment after the existing ones. */
  public WalWriter(Path dir, WalOptions options, WalMetrics metrics) throws IOException {
    this(dir, options, metrics, WalChannelFactory.DEFAULT);
  }

  /** As {@link #WalWriter(Path, WalOptions, WalMetrics)}, writing through {@code channels} (a test seam). */
  public WalWriter(Path dir, WalOptions options, WalMetrics metrics, WalChannelFactory channels) throws IOException {
    this.dir = dir;
    this.options = Objects.requireNonNull(options, "options");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.channels = Objects.requireNonNull(channels, "channels");
    Files.createDirectories(dir);
    Map<Long, Path> existing = WalFormat.listSegments(dir);
    long maxId = 0;
    for (Map.Entry<Long, Path> e : existing.entrySet()) {
      segmentSizes.put(e.getKey(), Files.size(e.getValue()));
      maxId = Math.max(maxId, e.getKey());
    }
    nextSegmentId = maxId + 1;
    previousLength = maxId == 0 ? 0 : segmentSizes.get(maxId);
    openNextSegment();
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
    Objects.requireNonNull(onDurable, "onDurable");
    if (payload.length > WalFormat.MAX_RECORD_BYTES) {
      return CompletableFuture.failedFuture(new WalWriteException(WalWriteException.Reason.TOO_LARGE,
          "WAL record of " + payload.length + " bytes exceeds the limit of " + WalFormat.MAX_RECORD_BYTES + " bytes"));
    }
    // The CRC is computed here, on the caller's thread, so checksumming runs in parallel.
    return enqueue(new Pending<>(payload, WalFormat.frameCrc(payload, 0, payload.length), onDurable, false));
  }

  /**
   * Closes the current segment once everything queued before this call is written, and starts a new
   * one unless the current segment holds no record yet. The future completes with the id of the
   * segment that later appends go to: every record acknowledged before this call sits in a segment
   * below it, so after the head has flushed them, {@code deleteSegmentsBelow(id)} frees their space.
   */
  public CompletableFuture<Long> rollSegment() {
    return enqueue(new Pending<>(new byte[0], 0, WalPosition::segmentId, true));
  }

  private <T> CompletableFuture<T> enqueue(Pending<T> p) {
    long size = p.frameBytes();
    lock.lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(
            new WalWriteException(WalWriteException.Reason.CLOSED, "WAL writer for " + dir + " is closed"));
      }
      if (pendingBytes > 0 && pendingBytes + size > options.maxPendingBytes()) {
        return CompletableFuture.failedFuture(new WalWriteException(WalWriteException.Reason.BACKLOG_FULL,
            "WAL backlog full: " + pendingBytes + " bytes pending, a record of " + p.payload.length
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
    return currentSegmentId;
  }

  /**
   * Deletes every segment with an id below {@code segmentId}, but never the current one, and makes
   * the deletion durable (a deleted segment coming back after a crash would replay its records again).
   */
  public synchronized void deleteSegmentsBelow(long segmentId) throws IOException {
    long limit = Math.min(segmentId, currentSegmentId);
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
    if (closeFailure != null) throw closeFailure;
  }

  private void run() {
    List<Pending<?>> group = new ArrayList<>();
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
      for (Pending<?> p : group) bytes += p.frameBytes();
      try {
        commit(group);
      } catch (RuntimeException | Error e) {
        // A bug of ours: no caller may wait forever, so fail whatever is not completed yet.
        log.error("wal writer group failed unexpectedly dir={} records={}", dir, group.size(), e);
        for (Pending<?> p : group) p.fail(new WalWriteException(WalWriteException.Reason.IO_ERROR,
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
    finish();
  }

  /** Writes a group: one batch per segment it spans, each written, fsynced, then acknowledged in order. */
  private void commit(List<Pending<?>> group) {
    int i = 0;
    while (i < group.size()) {
      if (current == null) {
        try {
          openNextSegment();
        } catch (IOException e) {
          failFrom(group, i, "cannot create WAL segment " + WalFormat.segmentPath(dir, nextSegmentId), e);
          return;
        }
      }
      WalSegment seg = current;
      long goodLength = seg.end();
      long end = goodLength;
      int start = i;
      while (i < group.size() && !group.get(i).roll) {
        long frame = group.get(i).frameBytes();
        // Roll when the frame does not fit, unless the segment is empty: a big record gets a segment of its own.
        if (end + frame > options.segmentSize() && end > WalFormat.HEADER_SIZE) break;
        group.get(i).position = new WalPosition(seg.id, end);
        end += frame;
        i++;
      }
      if (i > start) {
        try {
          writeFrames(seg, group, start, i);
          if (options.sync()) {
            long t0 = System.nanoTime();
            seg.force();
            metrics.fsync(System.nanoTime() - t0);
          }
        } catch (IOException e) {
          // Cut the segment back before failing the futures, so a caller that sees the failure
          // also sees the WAL without the failed records.
          writeFailed(seg, goodLength);
          failFrom(group, start, "cannot write WAL segment " + seg.path, e);
          return;
        }
        segmentSizes.put(seg.id, seg.end());
        metrics.committed(i - start, seg.end() - goodLength);
        for (int k = start; k < i; k++) group.get(k).durable();
      }
      if (i == group.size()) return;
      Pending<?> next = group.get(i);
      if (!next.roll || seg.end() > WalFormat.HEADER_SIZE) {
        try {
          roll();
        } catch (IOException e) {
          failFrom(group, i, "cannot roll WAL segment " + seg.path, e);
          return;
        }
      }
      if (next.roll) {
        // Without a current segment (a failed write closed it) the next one opened is new anyway.
        next.position = new WalPosition(currentSegmentId, 0);
        next.durable();
        i++;
      }
    }
  }

  /** Copies frames into the direct buffer and writes it whenever full; big payloads go straight through. */
  private void writeFrames(WalSegment seg, List<Pending<?>> group, int from, int to) throws IOException {
    ByteBuffer b = buffer.clear();
    for (int k = from; k < to; k++) {
      Pending<?> p = group.get(k);
      int len = p.payload.length;
      if (b.remaining() < WalFormat.FRAME_HEADER_SIZE + len) {
        b.flip();
        seg.write(b);
        b.clear();
      }
      b.putInt(len).putInt(p.crc);
      if (len <= b.remaining()) {
        b.put(p.payload);
      } else {
        b.flip();
        seg.write(b);
        b.clear();
        seg.write(ByteBuffer.wrap(p.payload));
      }
    }
    b.flip();
    seg.write(b);
  }

  private void roll() throws IOException {
    WalSegment old = current;
    current = null;
    previousLength = old.end();
    old.close();
    openNextSegment();
  }

  /** After a failed write: cut the segment back to its last good length and leave it for a new one. */
  private void writeFailed(WalSegment seg, long goodLength) {
    metrics.writeFailure();
    current = null;
    previousLength = goodLength;
    segmentSizes.put(seg.id, goodLength);
    try {
      seg.truncate(goodLength);
    } catch (IOException e) {
      // The next segment's header records goodLength, so replay drops these bytes even if they stay.
      untruncatedPath = seg.path;
      untruncatedLength = goodLength;
      log.warn("wal truncate after failed write failed path={} length={} error={}", seg.path, goodLength, e.toString());
    }
    try {
      seg.close();
    } catch (IOException e) {
      log.warn("wal close after failed write failed path={} error={}", seg.path, e.toString());
    }
    // Start the next segment now, before the callers hear of the failure: its header records
    // goodLength, which protects replay from a tail the truncation could not remove. When this fails
    // too (disk still full), the next group or close() tries again.
    try {
      openNextSegment();
    } catch (IOException e) {
      log.warn("wal new segment after failed write failed dir={} error={}", dir, e.toString());
    }
  }

  private void openNextSegment() throws IOException {
    if (untruncatedPath != null) {
      try {
        WalSegment.truncateFile(channels, untruncatedPath, untruncatedLength);
        untruncatedPath = null;
      } catch (NoSuchFileException e) {
        untruncatedPath = null;
      } catch (IOException e) {
        log.warn("wal truncate retry failed path={} length={} error={}", untruncatedPath, untruncatedLength, e.toString());
      }
    }
    long id = nextSegmentId;
    currentSegmentId = id;
    current = WalSegment.create(channels, dir, id, previousLength, options.sync());
    nextSegmentId = id + 1;
    segmentSizes.put(id, current.end());
    metrics.segments(segmentSizes.size());
    log.debug("wal segment opened path={} previousLength={}", current.path, previousLength);
  }

  private void failFrom(List<Pending<?>> group, int from, String what, IOException cause) {
    WalWriteException e = new WalWriteException(WalWriteException.Reason.IO_ERROR, what + ": " + cause, cause);
    log.warn("wal write failed records={} error={}", group.size() - from, e.getMessage());
    for (int k = from; k < group.size(); k++) group.get(k).fail(e);
  }

  private void finish() {
    if (current == null && untruncatedPath != null) {
      // A failed write left bytes we could not cut and no later segment records the good length yet.
      try {
        openNextSegment();
      } catch (IOException e) {
        closeFailure = new IOException("cannot cut the failed write off WAL segment " + untruncatedPath
            + " nor start a new segment: " + e, e);
        log.warn("wal close could not protect failed write path={} error={}", untruncatedPath, e.toString());
      }
    }
    if (current == null) return;
    try {
      // Close syncs even with sync off: a clean shutdown loses nothing.
      current.force();
      segmentSizes.put(current.id, current.end());
      current.close();
    } catch (IOException e) {
      closeFailure = new IOException("cannot sync and close WAL segment " + current.path + ": " + e, e);
      log.warn("wal close failed path={} error={}", current.path, e.toString());
    }
    current = null;
  }

  /** One queued append. */
  private static final class Pending<T> {
    final byte[] payload;
    final int crc;
    final Function<WalPosition, T> onDurable;
    /** A {@link #rollSegment()} request rather than a record. */
    final boolean roll;
    final CompletableFuture<T> future = new CompletableFuture<>();
    WalPosition position;

    Pending(byte[] payload, int crc, Function<WalPosition, T> onDurable, boolean roll) {
      this.payload = payload;
      this.crc = crc;
      this.onDurable = onDurable;
      this.roll = roll;
    }

    /** Bytes this append adds to the segment and counts against the backlog bound. */
    long frameBytes() {
      return WalFormat.FRAME_HEADER_SIZE + (long) payload.length;
    }

    void durable() {
      T result;
      try {
        result = onDurable.apply(position);
      } catch (RuntimeException | Error e) {
        // Handed to the caller, not swallowed; the writer goes on with the next record.
        future.completeExceptionally(e);
        return;
      }
      future.complete(result);
    }

    void fail(Throwable t) {
      future.completeExceptionally(t);
    }
  }
}
