package io.lodge.ingester.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the {@link WalWriter}'s thread does with each drained group: split it at segment boundaries,
 * write each part, fsync once, acknowledge in WAL order; roll segments; after a failed write, cut the
 * segment back and start the next. All state here belongs to the writer thread, except
 * {@link #currentSegmentId()} and the shared segment size map.
 */
final class GroupCommit {
  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
  private static final int BUFFER_SIZE = 1 << 20;

  private final Path dir;
  private final WalOptions options;
  private final WalMetrics metrics;
  private final WalChannelFactory channels;
  /** Sizes of the segment files on disk by id, shared with {@link WalWriter#deleteSegmentsBelow}. */
  private final ConcurrentSkipListMap<Long, Long> segmentSizes;
  private volatile long currentSegmentId;
  private IOException closeFailure;

  private WalSegment current;
  private long nextSegmentId;
  private long previousLength;
  private Path untruncatedPath;
  private long untruncatedLength;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);

  GroupCommit(Path dir, WalOptions options, WalMetrics metrics, WalChannelFactory channels,
      ConcurrentSkipListMap<Long, Long> segmentSizes) {
    this.dir = dir;
    this.options = options;
    this.metrics = metrics;
    this.channels = channels;
    this.segmentSizes = segmentSizes;
    long maxId = segmentSizes.isEmpty() ? 0 : segmentSizes.lastKey();
    this.nextSegmentId = maxId + 1;
    this.previousLength = maxId == 0 ? 0 : segmentSizes.get(maxId);
  }

  /** The id of the segment new appends go to (readable from any thread). */
  long currentSegmentId() {
    return currentSegmentId;
  }

  /** Why the final sync in {@link #finish()} failed, or null. */
  IOException closeFailure() {
    return closeFailure;
  }

  /** Writes a group: one batch per segment it spans, each written, fsynced, then acknowledged in order. */
  void commit(List<PendingAppend<?>> group) {
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
      PendingAppend<?> next = group.get(i);
      if (!next.roll || seg.end() > WalFormat.HEADER_SIZE) {
        try {
          roll();
        } catch (IOException e) {
          failFrom(group, i, "cannot roll WAL segment " + seg.path, e);
          return;
        }
      }
      if (next.roll) {
        // An empty current segment is kept: it already is a segment no acknowledged record is in.
        next.position = new WalPosition(currentSegmentId, 0);
        next.durable();
        i++;
      }
    }
  }

  /** Copies frames into the direct buffer and writes it whenever full; big payloads go straight through. */
  private void writeFrames(WalSegment seg, List<PendingAppend<?>> group, int from, int to) throws IOException {
    ByteBuffer b = buffer.clear();
    for (int k = from; k < to; k++) {
      PendingAppend<?> p = group.get(k);
      int len = p.length;
      if (b.remaining() < WalFormat.FRAME_HEADER_SIZE + len) {
        b.flip();
        seg.write(b);
        b.clear();
      }
      b.putInt(len).putInt(p.crc);
      if (len <= b.remaining()) {
        b.put(p.payload, 0, len);
      } else {
        b.flip();
        seg.write(b);
        b.clear();
        seg.write(ByteBuffer.wrap(p.payload, 0, len));
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

  void openNextSegment() throws IOException {
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

  private void failFrom(List<PendingAppend<?>> group, int from, String what, IOException cause) {
    WalWriteException e = new WalWriteException(WalWriteException.Reason.IO_ERROR, what + ": " + cause, cause);
    log.warn("wal write failed records={} error={}", group.size() - from, e.getMessage());
    for (int k = from; k < group.size(); k++) group.get(k).fail(e);
  }

  void finish() {
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
}
