package io.lodge.ingester.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every record of a WAL directory back in WAL order, after a clean stop or any crash, cutting
 * what a crash may leave and refusing what it cannot (format: {@link WalWriter}).
 *
 * <ul>
 *   <li>Torn tail: in the last segment, an invalid frame (incomplete, bad checksum, zero-filled) with
 *       no verifiable frame after it is cut off in place and logged; nothing after it was acknowledged,
 *       because a group is acknowledged only after everything before it was written and synced.
 *   <li>A last segment whose header is incomplete or invalid (a crash while creating it) is deleted.
 *   <li>A non-last segment is valid up to the length recorded in the next segment's header; bytes after
 *       it are the unacknowledged tail of a failed write and are cut off.
 *   <li>Corruption: an invalid frame followed by a valid one, or any invalid frame in a non-last
 *       segment, or a missing segment id, throws {@link WalCorruptionException} naming file and
 *       offset; with {@code skipCorrupt} replay skips to the next verifiable frame (or to the end of
 *       the segment), logs and counts the skipped bytes, and goes on.
 * </ul>
 *
 * Open the {@link WalWriter} after replay: it starts a new segment, never appending to a replayed one.
 */
public final class WalReplay {
  private static final Logger log = LoggerFactory.getLogger(WalReplay.class);

  private WalReplay() {}

  /** Bytes of the segment files in {@code dir}, which a replay reads (an absent directory has none). */
  public static long segmentBytes(Path dir) throws IOException {
    long bytes = 0;
    for (Path segment : WalFormat.listSegments(dir).values()) bytes += Files.size(segment);
    return bytes;
  }

  /** Replays {@code dir} (an absent directory has no records) into {@code handler}. */
  public static ReplayStats replay(Path dir, boolean skipCorrupt, RecordHandler handler) throws IOException {
    long t0 = System.nanoTime();
    Counts c = new Counts();
    TreeMap<Long, Path> segments = WalFormat.listSegments(dir);
    List<Long> ids = new ArrayList<>(segments.keySet());
    Map<Long, WalFormat.SegmentHeader> headers = new HashMap<>();
    Map<Long, String> headerProblems = new HashMap<>();
    for (long id : ids) {
      try {
        headers.put(id, readHeader(segments.get(id), id));
      } catch (IllegalArgumentException e) {
        headerProblems.put(id, e.getMessage());
      }
    }
    if (!ids.isEmpty() && headerProblems.containsKey(ids.getLast())) {
      // A crash while the last segment was being created: nothing in it was acknowledged.
      long id = ids.removeLast();
      Path path = segments.get(id);
      long size = Files.size(path);
      Files.delete(path);
      WalSegment.syncDirectory(dir);
      c.torn += size;
      log.warn("wal torn segment deleted path={} bytes={} reason=\"{}\"", path, size, headerProblems.get(id));
    }
    for (int i = 0; i < ids.size(); i++) {
      long id = ids.get(i);
      Path path = segments.get(id);
      if (headerProblems.containsKey(id)) {
        corrupt(skipCorrupt, path, 0, headerProblems.get(id));
        long size = Files.size(path);
        c.skipped += size;
        log.warn("wal corrupt segment skipped path={} bytes={} reason=\"{}\"", path, size, headerProblems.get(id));
        continue;
      }
      if (i > 0 && ids.get(i - 1) != id - 1) {
        corrupt(skipCorrupt, path, 0, "segments " + (ids.get(i - 1) + 1) + " to " + (id - 1) + " are missing");
        log.warn("wal missing segments skipped from={} to={}", ids.get(i - 1) + 1, id - 1);
      }
      boolean last = i == ids.size() - 1;
      long claimedEnd = -1;
      if (!last && ids.get(i + 1) == id + 1 && headers.containsKey(id + 1)) {
        claimedEnd = headers.get(id + 1).previousSegmentLength();
      }
      replaySegment(path, id, last, claimedEnd, skipCorrupt, handler, c);
      c.segments++;
    }
    return new ReplayStats(c.segments, c.records, c.bytes, c.torn, c.skipped, Duration.ofNanos(System.nanoTime() - t0));
  }

  private static WalFormat.SegmentHeader readHeader(Path path, long id) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      byte[] h = new byte[WalFormat.HEADER_SIZE];
      int n = new SegmentReader(ch).readHead(h);
      WalFormat.SegmentHeader header = WalFormat.decodeHeader(h, n);
      if (header.segmentId() != id) {
        throw new IllegalArgumentException("header names segment " + header.segmentId() + ", file name says " + id);
      }
      return header;
    }
  }

  private static void replaySegment(Path path, long id, boolean last, long claimedEnd, boolean skipCorrupt,
      RecordHandler handler, Counts c) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      SegmentReader reader = new SegmentReader(ch);
      long size = ch.size();
      long limit = size;
      if (claimedEnd >= 0) {
        if (size < claimedEnd) {
          corrupt(skipCorrupt, path, size, "segment is " + size + " bytes but the next segment's header says "
              + claimedEnd + ": acknowledged records are missing");
        } else {
          limit = claimedEnd;
        }
      }
      long pos = WalFormat.HEADER_SIZE;
      while (pos < limit) {
        int len = reader.check(pos, limit);
        if (len >= 0) {
          handler.handle(new WalPosition(id, pos), reader.payload(pos, len, handler.payloadArray(len)), len);
          c.records++;
          c.bytes += len;
          pos += WalFormat.FRAME_HEADER_SIZE + len;
          continue;
        }
        String problem = reader.problem();
        long next = last || skipCorrupt ? reader.findNextFrame(pos + 1, limit) : -1;
        if (last && next < 0) {
          ch.truncate(pos);
          ch.force(false);
          c.torn += limit - pos;
          log.warn("wal torn tail truncated path={} offset={} bytes={} reason=\"{}\"", path, pos, limit - pos, problem);
          return;
        }
        corrupt(skipCorrupt, path, pos, problem + (last ? "; a valid frame follows at offset " + next
            : "; segment " + id + " is not the last, its records were acknowledged"));
        long to = next < 0 ? limit : next;
        c.skipped += to - pos;
        log.warn("wal corrupt bytes skipped path={} offset={} bytes={} reason=\"{}\"", path, pos, to - pos, problem);
        pos = to;
      }
      if (claimedEnd >= 0 && size > claimedEnd) {
        // The tail of a write that failed and whose truncation failed too: never acknowledged.
        ch.truncate(claimedEnd);
        ch.force(false);
        c.torn += size - claimedEnd;
        log.warn("wal unacknowledged tail truncated path={} offset={} bytes={}", path, claimedEnd, size - claimedEnd);
      }
    }
  }

  private static void corrupt(boolean skipCorrupt, Path path, long offset, String what) throws WalCorruptionException {
    if (!skipCorrupt) throw new WalCorruptionException(path, offset, what);
  }

  private static final class Counts {
    int segments;
    long records;
    long bytes;
    long torn;
    long skipped;
  }
}
